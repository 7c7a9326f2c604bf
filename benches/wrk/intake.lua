-- POST /api/v1/signals as the public does: each request about a provider from BENCH_LINES, from
-- its own client address (X-Forwarded-For, trusted because the server runs with
-- TRUSTED_PROXY=127.0.0.1), so the rate limit is checked as for many people, not one.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local report = require("report")
local providers = report.lines("BENCH_LINES")
local categories = { "kwaliteit_zorg", "bejegening", "veiligheid", "financieel", "overig" }
local threads = 0
local i = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function request()
  i = i + 1
  -- 10.<thread>.x.y: a fresh address for every request of this thread.
  local addr = string.format("10.%d.%d.%d", id or 0, math.floor(i / 250) % 250, i % 250 + 1)
  local body = string.format(
    '{"provider_id":"%s","category":"%s","description":"Benchmark: de begeleiding kwam deze week drie keer niet opdagen.","reporter_role":"naaste","anonymous":true}',
    providers[(i % #providers) + 1], categories[(i % #categories) + 1])
  return wrk.format("POST", "/api/v1/signals",
    { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = addr }, body)
end

done = report.done
