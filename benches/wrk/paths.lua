-- GET a path made from a template (BENCH_PATH, with %s) and one line of BENCH_LINES per
-- request, in turn: a different report, a different search term.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local report = require("report")
local lines = report.lines("BENCH_LINES")
local template = os.getenv("BENCH_PATH")
local token = os.getenv("BENCH_TOKEN")
local i = 0

function setup(thread)
  thread:set("offset", math.random(#lines))
end

function request()
  i = i + 1
  local line = lines[((i + (offset or 0)) % #lines) + 1]
  return wrk.format("GET", string.format(template, line), { ["Authorization"] = "Bearer " .. token })
end

done = report.done
