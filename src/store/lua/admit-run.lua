-- admit-run.lua: a run held by its workflow's limit of concurrent runs may go: its first nodes
-- are queued. KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now
-- returns: {1, queue, ...} admitted; {0} when it was not held (already let go), or {-1} when it
--          is no longer waiting (cancelled meanwhile): its place is to be given back
local status = runStatus()
if redis.call("HGET", META, "held") ~= "1" then return {0} end
if status ~= "queued" then
  redis.call("HDEL", META, "held")
  return {-1}
end
redis.call("HDEL", META, "held")
local roots = redis.call("HGET", META, "roots") or ""
for root in string.gmatch(roots, "[^,]+") do enqueue(root) end
local result = {1}
for _, q in ipairs(touchedQueues()) do result[#result + 1] = q end
commit()
return result
