-- unpark-run.lua: a node waiting under its `concurrency` was given a place (gate-nodes.lua): it
-- is queued on its ready list. One whose worker has not parked it yet is marked so that its
-- park (park-run.lua) runs it instead.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] node
-- returns: {1, queue, ...} queued; {2} running, to run on its place; {0} it waits no more
--          (cancelled, finished): the place is to be given back
local node = ARGV[3]
local r = record(node)
local flag = "limit:" .. node
local parked = redis.call("HGET", HOLDERS, flag) == "parked"
if r and r.status == "running" and not parked then
  redis.call("HSET", HOLDERS, flag, "placed:" .. r.token)
  return {2}
end
redis.call("HDEL", HOLDERS, flag)
if not (r and parked and r.status == "queued" and live(runStatus())) then return {0} end
redis.call("ZREM", DELAYED, node)
enqueue(node)
local result = {1}
for _, q in ipairs(touchedQueues()) do result[#result + 1] = q end
commit()
return result
