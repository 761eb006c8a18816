-- gate-runs.lua: a workflow's `limits.maxConcurrentRuns`: which of its runs may go.
-- KEYS[1] running zset (run -> admitted ms)  KEYS[2] waiting list (run ids, oldest first)
-- ARGV[1] limit  ARGV[2] now  ARGV[3] a new run to line up ("" for none)  ARGV[4..] runs that
-- finished (they give their place back)
-- returns: the runs admitted now, oldest first (each is then let go by admit-run.lua)
local running, waiting = KEYS[1], KEYS[2]
for i = 4, #ARGV do redis.call("ZREM", running, ARGV[i]) end
if ARGV[3] ~= "" then redis.call("RPUSH", waiting, ARGV[3]) end
local limit = tonumber(ARGV[1])
local admitted = {}
while redis.call("ZCARD", running) < limit do
  local id = redis.call("LPOP", waiting)
  if not id then break end
  redis.call("ZADD", running, ARGV[2], id)
  admitted[#admitted + 1] = id
end
return admitted
