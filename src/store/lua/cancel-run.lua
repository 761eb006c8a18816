-- cancel-run.lua: an operator stops a run: nothing more starts, running handlers are told
-- (their renewals answer -1), every unfinished node ends `cancelled`.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] who  ARGV[4] reason
-- ARGV[5] "now" to kill running handlers at once, anything else to give them their kill grace
--         (recorded as the run's `stop` field, "now" or "grace", which renew-run.lua reports)
-- ARGV[6] "1": undo what succeeded (the saga's compensations run; the run ends `compensated`)
-- A run undoing a saga stops undoing: the compensation running is withdrawn, what is not undone
-- yet stays done, and the run ends `compensation_failed` naming it.
-- returns: "ok" when this call cancelled it ("undoing" when its saga is now being undone,
--          "stopped undoing" when it stopped an undo), the run's final status when it had already
--          finished (a second cancel answers "cancelled"), or "" when there is no such run
local status = runStatus()
if not status then return "" end
if status ~= "queued" and not live(status) then return status end
local who, reason = ARGV[3], ARGV[4]
local said = reason ~= "" and (": " .. reason) or ""
setMeta("cancelledBy", who)
setMeta("stop", ARGV[5] == "now" and "now" or "grace")
if status == "compensating" then
  local comp, task = metaGet("undoing"), metaGet("undoing_task")
  local c = comp and comp ~= "" and record(comp)
  if c and not TERMINAL[c.status] then endCompensation(comp, "cancelled") end
  keepDone(task, "cancelled")
  dropQueued()
  setMeta("undoing", "")
  setMeta("undoing_task", "")
  finishRun("compensation_failed", (metaGet("reason") or "") .. "; undoing cancelled by " .. who
    .. said .. "; not undone: " .. notUndone())
  commit()
  return "stopped undoing"
end
withdrawAll("cancelled")
if ARGV[6] == "1" and startCompensation("cancelled by " .. who .. said) then
  commit()
  return "undoing"
end
finishRun("cancelled", reason)
commit()
return "ok"
