-- Signature POSTs for `make bench-pages`: a distinct email and X-Forwarded-For address per
-- request. Arguments: path, signed "started" stamp (url-encoded), seconds of POSTs, run id.
-- After the POST phase, requests go to a 404 path, so no POST is in flight when wrk stops.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  path, stamp, post_seconds, run_id = args[1], args[2], tonumber(args[3]), args[4]
  started_at = os.time()
  counter, ok, failed, statuses = 0, 0, 0, {}
end

local function address(n)
  return string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
end

function request()
  if os.time() - started_at >= post_seconds then
    return wrk.format("GET", "/bench-idle/")
  end
  counter = counter + 1
  local n = id * 100000 + counter
  local body = "first_name=Bench&last_name=Signer&country=FR&website=&email=b" .. run_id .. "-" .. n
    .. "%40bench.example&started=" .. stamp
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Sec-Fetch-Site"] = "same-origin",
    ["X-Forwarded-For"] = address(n),
  }
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
