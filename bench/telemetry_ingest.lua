-- wrk script: POST /api/v1/telemetry batches as telemetry devices would.
--   TELEMETRY_TOKENS  comma-separated device tokens (one per simulated vehicle), required
--   TELEMETRY_BATCH   readings per request (default 500, at most 1000)
-- Prints accepted readings per second at the end. Run it with bench/telemetry_ingest.sh
-- (set-up and how to read the figure: docs/VEHICLES.md, "Benchmark").
local tokens = {}
local bodies = {}
local batch = tonumber(os.getenv("TELEMETRY_BATCH") or "500")
local next_token = 0

local function body_for(seed)
  local parts = {}
  local base = 1763880000 + seed * 7          -- seconds; any recent instant will do
  for i = 0, batch - 1 do
    local t = base + i
    parts[#parts + 1] = string.format(
      '{"at":"%s","odometer_km":%d,"fuel_level_pct":%.1f,"battery_soc_pct":%.1f,' ..
      '"coolant_temp_c":%.1f,"voltage":%.2f}',
      os.date("!%Y-%m-%dT%H:%M:%SZ", t), 40000 + math.floor(i / 20), 60 - i / 100,
      70 + (i % 20) / 10, 88 + (i % 7), 13.6 + (i % 5) / 100)
  end
  return '{"readings":[' .. table.concat(parts, ",") .. ']}'
end

init = function(args)
  for tok in string.gmatch(os.getenv("TELEMETRY_TOKENS") or "", "[^,]+") do
    tokens[#tokens + 1] = tok
    bodies[#bodies + 1] = body_for(#tokens)
  end
  if #tokens == 0 then error("set TELEMETRY_TOKENS") end
end

request = function()
  next_token = next_token % #tokens + 1
  return wrk.format("POST", "/api/v1/telemetry",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Device " .. tokens[next_token] },
    bodies[next_token])
end

done = function(summary, latency, requests)
  local ok = summary.requests - summary.errors.status
  local secs = summary.duration / 1e6
  io.write(string.format("telemetry: %d batches of %d accepted in %.1f s = %.0f readings/s " ..
    "(non-2xx: %d, p50 %.1f ms, p99 %.1f ms)\n", ok, batch, secs, ok * batch / secs,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
