-- Confirmation POSTs for `make bench-pages`: each request confirms another pending
-- signature. Arguments: file of confirmation paths (one a line), CSRF cookie, CSRF token,
-- seconds of POSTs. Thread i takes lines i, i+T, i+2T...; then a 404 path (nothing in flight).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
  thread:set("count", 0)
end

function init(args)
  local file, cookie, token = args[1], args[2], args[3]
  post_seconds = tonumber(args[4])
  paths = {}
  for line in io.lines(file) do table.insert(paths, line) end
  step = tonumber(args[5])
  index = id
  started_at = os.time()
  ok, failed, statuses = 0, 0, {}
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. cookie,
  }
  body = "csrfmiddlewaretoken=" .. token
end

function request()
  if os.time() - started_at >= post_seconds or index > #paths then
    return wrk.format("GET", "/bench-idle/")
  end
  local path = paths[index]
  index = index + step
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 404 then return end
  if status == 302 then
    ok = ok + 1
  else
    failed = failed + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_ok, total_failed, codes = 0, 0, {}
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_failed = total_failed + thread:get("failed")
    for code, count in pairs(thread:get("statuses")) do
      codes[code] = (codes[code] or 0) + count
    end
  end
  io.write(string.format("BENCH ok=%d failed=%d\n", total_ok, total_failed))
  for code, count in pairs(codes) do io.write(string.format("BENCH status %d=%d\n", code, count)) end
end
