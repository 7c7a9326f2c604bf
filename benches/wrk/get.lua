-- GET one fixed path (BENCH_PATH) as the signed-in inspector (BENCH_TOKEN).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local report = require("report")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.path = os.getenv("BENCH_PATH")
done = report.done
