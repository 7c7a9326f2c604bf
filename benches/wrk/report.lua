-- Shared by every scenario: prints one machine-readable line after the run, with the
-- throughput, the latency percentiles (ms) and every response that was not a success.
local M = {}

function M.done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  local failed = e.status + e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50=%.2f p95=%.2f p99=%.2f max=%.2f failed=%d\n",
    summary.requests, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, failed))
end

-- Lines of a file named by an environment variable (ids, search terms).
function M.lines(var)
  local list = {}
  local path = os.getenv(var)
  if path then
    for line in io.lines(path) do
      if line ~= "" then list[#list + 1] = line end
    end
  end
  assert(#list > 0, var .. " names no file with lines")
  return list
end

return M
