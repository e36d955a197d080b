-- wrk script of bench/load.py: `wrk -s bench/load.lua URL -- COOKIES MARKER [THINK_MS]`.
-- COOKIES holds one Cookie header a line (a signed-in member's session and CSRF cookies); each
-- request is sent as the next member, each thread starting at a different one. With THINK_MS a
-- connection waits between a response and its next request, 0.5 to 1.5 times THINK_MS (members
-- reading); without it, it asks again at once. A response that is not 200, or is 200 without
-- MARKER (a text only the real page has), is counted; done() prints the figures as one JSON line.

local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  for line in io.lines(args[1]) do
    if line ~= "" then
      table.insert(requests, wrk.format("GET", nil, { Cookie = line }))
    end
  end
  marker = args[2]
  think = tonumber(args[3] or "0")
  turn = offset
  not_ok = 0
  not_page = 0
end

function request()
  turn = turn + 1
  return requests[turn % #requests + 1]
end

function delay()
  if think > 0 then
    return math.random(math.floor(think / 2), math.floor(think * 3 / 2))
  end
  return 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  elseif not string.find(body, marker, 1, true) then
    not_page = not_page + 1
  end
end

function done(summary, latency, requests)
  local not_ok_total, not_page_total = 0, 0
  for _, thread in ipairs(threads) do
    not_ok_total = not_ok_total + thread:get("not_ok")
    not_page_total = not_page_total + thread:get("not_page")
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, "not_200": %d, '
      .. '"not_page": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, '
      .. '"timeouts": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, not_ok_total, not_page_total,
    errors.connect, errors.read, errors.write, errors.timeout
  ))
end
