-- complete-run.lua: mark nodes succeeded (a batch) and release what follows them.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] count
-- then per node, from ARGV[4+4i]: node, token, output JSON ("" for none), taken targets
-- ("*" all, "" none, or a comma list)
-- returns: {stale completions ignored, run status, queue, queue, ...} (the queues that got work)
local stale = 0
local status = redis.call("HGET", META, "status")
for i = 0, tonumber(ARGV[3]) - 1 do
  local node, token, output, taken = ARGV[4 + 4 * i], ARGV[5 + 4 * i], ARGV[6 + 4 * i], ARGV[7 + 4 * i]
  if status ~= "running" or redis.call("HGET", STATE, node) ~= "running" or redis.call("HGET", TOKEN, node) ~= token then
    stale = stale + 1
  else
    redis.call("ZREM", LEASES, node)
    if output ~= "" then redis.call("HSET", OUTPUTS, node, output) end
    finishNode(node, "succeeded")
    release(node, taken)
  end
end
maybeFinish()
local result = {stale, redis.call("HGET", META, "status")}
for _, q in ipairs(touchedQueues()) do result[#result + 1] = q end
return result
