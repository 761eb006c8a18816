-- cancel-run.lua: an operator stops a run: nothing more starts, running handlers are told
-- (their renewals answer -1), every unfinished node ends `cancelled`.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] who  ARGV[4] reason
-- ARGV[5] "now" to kill running handlers at once, anything else to give them their kill grace
--         (recorded as the run's `stop` field, "now" or "grace", which renew-run.lua reports)
-- returns: "ok" when this call cancelled it, the run's final status when it had already
--          finished (a second cancel answers "cancelled"), or "" when there is no such run
local status = runStatus()
if not status then return "" end
if status ~= "queued" and status ~= "running" then return status end
withdrawAll("cancelled")
setMeta("cancelledBy", ARGV[3])
-- Written on every cancel: a retried run must not inherit an earlier cancel's "now".
setMeta("stop", ARGV[5] == "now" and "now" or "grace")
finishRun("cancelled", ARGV[4])
commit()
return "ok"
