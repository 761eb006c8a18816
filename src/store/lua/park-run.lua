-- park-run.lua: a claimed node found no place under its `concurrency` (gate-nodes.lua lined it
-- up): it waits queued, off the ready list, until unpark-run.lua lets it go; it is looked at
-- again at ARGV[5] in case that never comes (the worker that would have let it go died).
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] node  ARGV[4] token
-- ARGV[5] when to look again (ms)
-- returns: 1 parked; 2 it was given a place meanwhile (run it); 0 the attempt is not this
--          worker's any more
local node = ARGV[3]
local r = record(node)
if not r or r.status ~= "running" or r.token ~= tonumber(ARGV[4]) then return 0 end
local flag = "limit:" .. node
if redis.call("HGET", HOLDERS, flag) == "placed:" .. ARGV[4] then
  redis.call("HDEL", HOLDERS, flag)
  return 2
end
redis.call("ZREM", LEASES, node)
redis.call("HSET", HOLDERS, flag, "parked")
redis.call("ZADD", DELAYED, ARGV[5], node)
r.status = "queued"
-- It has not run: its start is when a worker next takes it.
r.start = "0"
changed(node, r)
event(node, "queued", {"waiting", "limit"})
commit()
return 1
