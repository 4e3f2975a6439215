-- POST requests built from a file (env BENCH_LINES) of lines "PATH<TAB>AUTH<TAB>BODY".
-- Every request gets a unique Idempotency-Key, so replays never hide real work.
local lines = {}
local counter = 0
local thread_tag = tostring(math.random(1, 1e9))

init = function(args)
  for line in io.lines(os.getenv("BENCH_LINES")) do
    local path, auth, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    if path then lines[#lines + 1] = { path, auth, body } end
  end
  math.randomseed(os.time() + tonumber(thread_tag))
end

request = function()
  counter = counter + 1
  local l = lines[math.random(#lines)]
  local headers = { ["Content-Type"] = "application/json",
                    ["Idempotency-Key"] = thread_tag .. "-" .. counter }
  if l[2] ~= "" then headers["Authorization"] = l[2] end
  return wrk.format("POST", l[1], headers, l[3])
end

