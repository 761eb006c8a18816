-- gate-nodes.lua: a node's `concurrency` across all runs of its workflow: which attempts may run.
-- KEYS[1] running zset ("run|record" -> until when its place is held, Redis's own ms)
-- KEYS[2] waiting list ("run|record", oldest first)
-- ARGV[1] limit  ARGV[2] how long a place is held unrenewed (ms)  ARGV[3] a member that asks for
-- a place, "+member" for one that renews the place it holds, or ""  ARGV[4..] members that give
-- their places back
-- A place lapses when its holder stops renewing it (the worker died): nobody waits for ever.
-- returns: {1 when ARGV[3] holds a place now else 0, members admitted now (each to be let go by
--           unpark-run.lua), ...}
local running, waiting = KEYS[1], KEYS[2]
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local holdMs = tonumber(ARGV[2])
redis.call("ZREMRANGEBYSCORE", running, "-inf", now)
for i = 4, #ARGV do redis.call("ZREM", running, ARGV[i]) end
local limit = tonumber(ARGV[1])
local asker = ARGV[3]
local took = 0
if string.sub(asker, 1, 1) == "+" then
  -- A renewal never lines up: a place that lapsed stays lost (another attempt may hold it now).
  local holder = string.sub(asker, 2)
  if redis.call("ZSCORE", running, holder) then
    redis.call("ZADD", running, now + holdMs, holder)
    took = 1
  end
  asker = ""
elseif asker ~= "" then
  if redis.call("ZSCORE", running, asker) then
    took = 1
  elseif redis.call("LPOS", waiting, asker) == false then
    redis.call("RPUSH", waiting, asker)
  end
end
local result = {took}
while redis.call("ZCARD", running) < limit do
  local member = redis.call("LPOP", waiting)
  if not member then break end
  if member == asker then
    took = 1
    redis.call("ZADD", running, now + holdMs, member)
  else
    -- Held twice as long: the admitted attempt is queued and waits for a worker to take it.
    redis.call("ZADD", running, now + 2 * holdMs, member)
    result[#result + 1] = member
  end
end
if took == 1 and asker ~= "" then redis.call("ZADD", running, now + holdMs, asker) end
result[1] = took
return result
