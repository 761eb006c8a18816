-- fail-run.lua: a node's attempt failed: retry it later, let the run go on, or fail the run.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] node  ARGV[4] token
-- ARGV[5] error text  ARGV[6] mode: retry | continue | fail | abort (the handler stops the whole
-- run: no retry, whatever the node's continueOnFailure)  ARGV[7] retry due time (ms)
-- returns: {1, run status, queue, ...} or {0} when the attempt is stale
local node, token, err, mode = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if not live(runStatus()) then return {0} end
local r = record(node)
if not r or r.status ~= "running" or r.token ~= tonumber(token) then return {0} end
redis.call("ZREM", LEASES, node)
if mode == "retry" then
  redis.call("HSET", ERRORS, node, err)
  r.status = "retrying"
  r.attempt = r.attempt + 1
  changed(node, r)
  redis.call("ZADD", DELAYED, ARGV[7], node)
  event(node, "retrying", {"error", err, "next_attempt", r.attempt, "due", ARGV[7]})
else
  failNode(node, err, mode == "continue", mode == "abort")
end
local queues = touchedQueues()
commit()
local result = {1, runStatus()}
for _, q in ipairs(queues) do result[#result + 1] = q end
return result
