-- GET requests cycling through a list of paths (one per line in the file named by
-- env BENCH_PATHS), optionally with a bearer token from env BENCH_TOKEN.
local paths = {}
local token = os.getenv("BENCH_TOKEN")

init = function(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
  math.randomseed(os.time() + (args[1] and tonumber(args[1]) or 0))
end

request = function()
  local headers = {}
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
