-- wrk script: every request is a NEW click (201) through POST /api/v1/flattrs.
--   wrk -t2 -c64 -d20s --latency -s eng/perf/clicks.lua http://127.0.0.1:PORT/api/v1/flattrs -- TOKENS_FILE THINGS OFFSET THREADS
-- Request n (from OFFSET on, threads interleaved) is reader token n mod R on thing (n div R) mod THINGS + 1, the same
-- numbering as `Flattr.Benchmarks click-rate`: many readers clicking one article after another. Use a fresh OFFSET for
-- each run against the same database, so no pair repeats. done() prints the status counts of all threads.

local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

local tokens = {}
local things, next_n, step

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then tokens[#tokens + 1] = "Bearer " .. line end
  end
  things = tonumber(args[2])
  step = tonumber(args[4])
  next_n = tonumber(args[3]) + thread_index
  created, repeated, other = 0, 0, 0
end

function request()
  local n = next_n
  next_n = next_n + step
  local r = n % #tokens
  local thing = math.floor(n / #tokens) % things + 1
  return wrk.format("POST", nil,
    { ["Authorization"] = tokens[r + 1], ["Content-Type"] = "application/json" },
    '{"thing":"' .. string.format("%d", thing) .. '"}')
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 200 then
    repeated = repeated + 1
  else
    other = other + 1
    if other <= 3 then io.stderr:write("clicks.lua: " .. status .. " " .. body .. "\n") end
  end
end

function done(summary, latency, requests)
  local c, r, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    r = r + thread:get("repeated")
    o = o + thread:get("other")
  end
  io.write(string.format("clicks: created %d, repeated %d, other %d\n", c, r, o))
end
