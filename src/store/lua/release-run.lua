-- release-run.lua: a worker that stops gives a node back: it is queued again at once, same
-- attempt (the next claim gets a new token), instead of waiting for its lease to lapse.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] node  ARGV[4] token
-- returns: {1, queue, ...} released; {0} the attempt was no longer this worker's
local node = ARGV[3]
local r = record(node)
if not r or r.status ~= "running" or r.token ~= tonumber(ARGV[4]) then return {0} end
redis.call("ZREM", LEASES, node)
event(node, "released")
local status = runStatus()
if live(status) or status == "queued" then enqueue(node) end
local result = {1}
for _, q in ipairs(touchedQueues()) do result[#result + 1] = q end
commit()
return result
