-- GET requests over a list of paths (one a line in the file named by env BENCH_PATHS),
-- optionally with a bearer token from env BENCH_TOKEN. Paths are taken in turn from a random
-- offset, so a long list is not replayed before it is used up (a random pick would repeat
-- paths early and turn a cold-cache scenario into a cache-hit one).
local paths = {}
local token = os.getenv("BENCH_TOKEN")
local next_index = 0

init = function(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  math.randomseed(os.time())
  next_index = math.random(#paths) - 1
end

request = function()
  local headers = {}
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index], headers)
end
