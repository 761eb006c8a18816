-- complete-run.lua: mark nodes succeeded (a batch) and release what follows them.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] count
-- then per node, from ARGV[4+4i]: node, token, output JSON ("" for none), taken targets
-- ("*" all, "" none, or a comma list); after them: claim max, lease ms, worker id, and the
-- worker's queues (comma list): the worker takes at once up to that many of the nodes released
-- (claim max 0: none)
-- returns: {stale completions ignored, run status, count of queues left with ready nodes,
--           those queues..., node, attempt, token, ...}
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
local base = 4 + 4 * tonumber(ARGV[3])
local claimMax, leaseMs, worker = tonumber(ARGV[base]), tonumber(ARGV[base + 1]), ARGV[base + 2]
local claimed = {}
local left = {}
local serves = {}
for q in string.gmatch(ARGV[base + 3], "[^,]+") do serves[q] = true end
for _, q in ipairs(touchedQueues()) do
  local remaining = 0
  if serves[q] and claimMax > #claimed / 3 then
    remaining = claimReady(q, claimMax - #claimed / 3, leaseMs, worker, claimed)
  else
    remaining = redis.call("LLEN", READY[q])
  end
  if remaining > 0 then left[#left + 1] = q end
end
local result = {stale, redis.call("HGET", META, "status"), #left}
for _, q in ipairs(left) do result[#result + 1] = q end
for _, v in ipairs(claimed) do result[#result + 1] = v end
return result
