-- claim-run.lua: lease up to N ready nodes of one queue of a run to a worker.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] queue  ARGV[4] max nodes
-- ARGV[5] lease ms  ARGV[6] worker id
-- returns: {left in the ready list, node, attempt, token, node, attempt, token, ...}
local result = {0}
result[1] = claimReady(ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6], result)
return result
