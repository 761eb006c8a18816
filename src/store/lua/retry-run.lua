-- retry-run.lua: a new attempt of a finished run: the given nodes start over, the others keep
-- their results (and outputs), and nodes whose inputs are all resolved are queued or skipped.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] who
-- ARGV[4] nodes to reset (JSON array of [node, unresolved incoming edges, taken incoming edges, is root])
-- returns: {new run attempt, queue, queue, ...}, or {0, status} when the run has not finished
local status = redis.call("HGET", META, "status")
if status == "queued" or status == "running" or not status then return {0, status or ""} end
local reset = cjson.decode(ARGV[4])
local attempt = redis.call("HINCRBY", META, "attempt", 1)
redis.call("HSET", META, "status", "running", "retriedBy", ARGV[3], "retried", NOW)
redis.call("HDEL", META, "finished", "reason", "cancelledBy")
redis.call("HINCRBY", META, "remaining", #reset)
for i = 1, #reset do
  local node = reset[i][1]
  local old = redis.call("HGET", STATE, node)
  if old and TERMINAL[old] then
    redis.call("HINCRBY", META, "n_" .. old, -1)
  end
  redis.call("HSET", STATE, node, "pending")
  redis.call("HSET", PENDING, node, reset[i][2])
  redis.call("HSET", TAKEN, node, reset[i][3])
  redis.call("HDEL", OUTPUTS, node)
  redis.call("HDEL", ERRORS, node)
  redis.call("HDEL", TIMES, node .. ":start", node .. ":end")
  if redis.call("HGET", ATTEMPT, node) then redis.call("HINCRBY", ATTEMPT, node, 1) end
end
-- "remaining" counted the reset nodes that were already terminal once; fix it to the truth.
local unfinished = 0
local all = redis.call("HGETALL", STATE)
for i = 1, #all, 2 do if not TERMINAL[all[i + 1]] then unfinished = unfinished + 1 end end
redis.call("HSET", META, "remaining", unfinished)
event("", "run:retrying", {"attempt", attempt, "who", ARGV[3]})
for i = 1, #reset do
  local node, pending, taken, isRoot = reset[i][1], reset[i][2], reset[i][3], reset[i][4]
  if pending == 0 and redis.call("HGET", STATE, node) == "pending" then
    if taken > 0 or isRoot then
      enqueue(node)
    else
      finishNode(node, "skipped")
      local _, outs = graphEntry(node)
      for j = 1, #outs do resolve(outs[j], false) end
    end
  end
end
maybeFinish()
local result = {attempt}
for _, q in ipairs(touchedQueues()) do result[#result + 1] = q end
return result
