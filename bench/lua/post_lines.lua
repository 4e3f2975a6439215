-- POST requests from a file (env BENCH_LINES) of lines "PATH<TAB>AUTH<TAB>BODY", taken in
-- turn so that, for orders, every slot is tried once before any is tried again.
-- BENCH_IDEMPOTENCY=1 gives every request a fresh Idempotency-Key (orders), so no answer is a
-- replay; without it the requests are formatted once up front (telemetry bodies are 75 KB).
-- At the end it prints "statuses: 201=N 409=M ..." for run.sh to count real work.
local lines = {}
local prebuilt = {}
local counter = 0
local next_index = 0
local tag = ""
local with_key = os.getenv("BENCH_IDEMPOTENCY") == "1"
statuses = {}            -- global: done() reads each thread's table with thread:get
local threads = {}

setup = function(thread)
  thread:set("tid", #threads + 1)
  threads[#threads + 1] = thread
end

init = function(args)
  for line in io.lines(os.getenv("BENCH_LINES")) do
    local path, auth, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    if path then lines[#lines + 1] = { path, auth, body } end
  end
  if #lines == 0 then error("no requests in " .. tostring(os.getenv("BENCH_LINES"))) end
  math.randomseed(os.time() + (tid or 1) * 7919)
  tag = tostring(tid or 1) .. "-" .. tostring(os.time()) .. "-" .. tostring(math.random(1, 1e9))
  -- Threads start at different places in the list; one thread starts at the top.
  next_index = math.floor(((tid or 1) - 1) * #lines / 8)
  if not with_key then
    for i, l in ipairs(lines) do prebuilt[i] = wrk.format("POST", l[1], headers_for(l), l[3]) end
  end
end

function headers_for(l)
  local h = { ["Content-Type"] = "application/json" }
  if l[2] ~= "" then h["Authorization"] = l[2] end
  return h
end

request = function()
  next_index = next_index % #lines + 1
  if not with_key then return prebuilt[next_index] end
  counter = counter + 1
  local l = lines[next_index]
  local h = headers_for(l)
  h["Idempotency-Key"] = tag .. "-" .. counter
  return wrk.format("POST", l[1], h, l[3])
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses") or {}) do total[status] = (total[status] or 0) + n end
  end
  local keys = {}
  for status in pairs(total) do keys[#keys + 1] = status end
  table.sort(keys)
  local parts = {}
  for _, status in ipairs(keys) do parts[#parts + 1] = status .. "=" .. total[status] end
  io.write("statuses: " .. table.concat(parts, " ") .. "\n")
end
