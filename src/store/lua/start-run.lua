-- start-run.lua: write a new run and queue its first nodes.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now
-- ARGV[3] run fields (JSON object: id, workflow, version, hash, params, who, ...)
-- ARGV[4] nodes (JSON array of [id, queue, "target,target", incoming count])  ARGV[5] roots (comma list)
-- returns: {1, queue, queue, ...} the queues that got ready nodes; {0} when the run exists
if redis.call("EXISTS", META) == 1 then return {0} end
local fields = cjson.decode(ARGV[3])
local flat = {"HSET", META}
for k, v in pairs(fields) do flat[#flat + 1] = k; flat[#flat + 1] = tostring(v) end
redis.call(unpack(flat))
local nodes = cjson.decode(ARGV[4])
redis.call("HSET", META, "status", "queued", "created", NOW, "remaining", #nodes, "total", #nodes, "queues", ARGV[1])
for i = 1, #nodes do
  local n = nodes[i]
  redis.call("HSET", GRAPH, n[1], n[2] .. "\t" .. n[3])
  redis.call("HSET", PENDING, n[1], n[4])
  redis.call("HSET", STATE, n[1], "pending")
end
event("", "run:queued")
for root in string.gmatch(ARGV[5], "[^,]+") do enqueue(root) end
local result = {1}
for _, q in ipairs(touchedQueues()) do result[#result + 1] = q end
return result
