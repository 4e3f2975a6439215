-- wrk script: authenticated, idempotent, capacity-checked order placement (POST /api/v1/orders).
-- Reads BENCH_ORDERS, a file written by bench/orders_setup.mjs with one booking a line:
--   "Bearer <token><TAB>{"vehicle_id":...,"provider_id":...,"service_id":...,"slot_start":...}"
-- Lines are taken in turn (each thread from its own offset) so load spreads over many slots;
-- every request carries a fresh Idempotency-Key, so no answer is a replay. At the end it prints
-- how many bookings were placed (201), refused because the slot was full (409), and anything else.
--   wrk -t1 -c64 -d10s -s bench/orders.lua http://127.0.0.1:8080   (with BENCH_ORDERS set)
local lines = {}
local counter = 0
local offset = 0
local tag = ""
placed, full, other = 0, 0, 0   -- globals: done() reads them with thread:get
local threads = {}

setup = function(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

init = function(args)
  local path = os.getenv("BENCH_ORDERS")
  if not path then error("set BENCH_ORDERS to the file from bench/orders_setup.mjs") end
  for line in io.lines(path) do
    local auth, body = line:match("^([^\t]+)\t(.+)$")
    if auth then lines[#lines + 1] = { auth, body } end
  end
  if #lines == 0 then error("no bookings in " .. path) end
  tag = tostring(tid or 1) .. "-" .. tostring(os.time()) .. "-" .. tostring(math.random(1, 1e9))
  offset = ((tid or 1) - 1) * math.floor(#lines / 8)
end

-- BENCH_NO_IDEMPOTENCY=1 leaves the header out: the same placement without the key's own
-- bookkeeping, to see what the idempotency layer costs.
local with_key = os.getenv("BENCH_NO_IDEMPOTENCY") ~= "1"

request = function()
  counter = counter + 1
  local l = lines[(offset + counter) % #lines + 1]
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = l[1] }
  if with_key then headers["Idempotency-Key"] = tag .. "-" .. counter end
  return wrk.format("POST", "/api/v1/orders", headers, l[2])
end

response = function(status, headers, body)
  if status == 201 then placed = placed + 1
  elseif status == 409 then full = full + 1
  else other = other + 1 end
end

done = function(summary, latency, requests)
  local p, f, o = 0, 0, 0
  for _, t in ipairs(threads) do
    p = p + (t:get("placed") or 0)
    f = f + (t:get("full") or 0)
    o = o + (t:get("other") or 0)
  end
  local secs = summary.duration / 1e6
  io.write(string.format("orders: %d placed (%.0f/s), %d slot-full, %d other\n", p, p / secs, f, o))
end
