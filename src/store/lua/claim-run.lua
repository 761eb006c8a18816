-- claim-run.lua: lease up to N ready nodes of one queue of a run to a worker.
-- KEYS as in includes/run.lua (the ready list of that queue is enough).  ARGV[1] queues
-- ARGV[2] now  ARGV[3] queue  ARGV[4] max nodes  ARGV[5] lease ms  ARGV[6] worker id
-- ARGV[7] "1": also reply with the run's fields a worker loads (workflow, version, params, queues,
-- priority)
-- returns: {left in the ready list, run attempt, {workflow, version, params, queues, priority} or {},
--           node, attempt, token, node, attempt, token, ...}
local result = {0, 0, {}}
result[1] = claimReady(ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6], result)
commit()
result[2] = meta().attempt
if ARGV[7] == "1" then
  local fields = redis.call("HMGET", META, "workflow", "version", "params", "queues", "priority")
  if fields[1] then result[3] = {fields[1], fields[2], fields[3] or "{}", fields[4] or "", fields[5] or "0"} end
end
return result
