-- release-run.lua: a worker that stops gives a node back: it is queued again at once, same
-- attempt (the next claim gets a new token), instead of waiting for its lease to lapse.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] node  ARGV[4] token
-- returns: {1, queue, ...} released; {0} the attempt was no longer this worker's
if redis.call("HGET", STATE, ARGV[3]) ~= "running" or redis.call("HGET", TOKEN, ARGV[3]) ~= ARGV[4] then return {0} end
redis.call("ZREM", LEASES, ARGV[3])
event(ARGV[3], "released")
local status = redis.call("HGET", META, "status")
if status == "running" or status == "queued" then enqueue(ARGV[3]) end
local result = {1}
for _, q in ipairs(touchedQueues()) do result[#result + 1] = q end
return result
