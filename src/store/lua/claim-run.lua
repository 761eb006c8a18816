-- claim-run.lua: lease up to N ready nodes of one queue of a run to a worker.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] queue  ARGV[4] max nodes
-- ARGV[5] lease ms  ARGV[6] worker id
-- returns: {left in the ready list, node, attempt, token, node, attempt, token, ...}
local status = redis.call("HGET", META, "status")
if status ~= "queued" and status ~= "running" then return {0} end
local key = READY[ARGV[3]]
if not key then return {0} end
local popped = redis.call("LPOP", key, tonumber(ARGV[4]))
local result = {0}
if popped then
  if status == "queued" then
    redis.call("HSET", META, "status", "running", "started", NOW)
    event("", "run:running")
  end
  local deadline = tonumber(NOW) + tonumber(ARGV[5])
  for i = 1, #popped do
    local node = popped[i]
    if redis.call("HGET", STATE, node) == "queued" then
      local token = redis.call("HINCRBY", TOKEN, node, 1)
      local attempt = redis.call("HGET", ATTEMPT, node)
      redis.call("HSET", STATE, node, "running")
      redis.call("HSETNX", TIMES, node .. ":start", NOW)
      redis.call("ZADD", LEASES, deadline, node)
      event(node, "running", {"attempt", attempt, "worker", ARGV[6]})
      result[#result + 1] = node
      result[#result + 1] = tonumber(attempt)
      result[#result + 1] = token
    end
  end
end
result[1] = redis.call("LLEN", key)
return result
