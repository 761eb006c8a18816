-- promote-run.lua: queue retries whose backoff is over, finish delay nodes whose wait is over,
-- queue nodes that waited under their concurrency too long (they ask for a place again), and take
-- back nodes whose lease expired (their worker died). A taken-back node runs again, same attempt,
-- under a new token, unless it has now lost as many attempts as its limit (lostAttempts, default
-- 2): then it fails, naming the worker that last held it.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now
-- Retries and waits are due by ARGV[2] (the caller's clock); leases expire by Redis's TIME.
-- returns: {next due time or -1, run status, {node, error, node, error, ...} failed for good here
--           (their workers lost too often), queues with ready nodes...}
local status = runStatus()
local dead = {}
if live(status) or status == "queued" then
  local due = redis.call("ZRANGEBYSCORE", DELAYED, "-inf", NOW)
  if #due > 0 then
    callChunked("ZREM", DELAYED, due)
    preload(due)
    for _, node in ipairs(due) do
      local r = record(node)
      if r and r.status == "waiting" then
        succeedNode(node, "*")
      elseif r and r.status == "retrying" then
        enqueue(node)
      elseif r and r.status == "queued" and redis.call("HGET", HOLDERS, "limit:" .. node) == "parked" then
        -- Waiting under its concurrency and not let go in time: it asks for a place again.
        redis.call("HDEL", HOLDERS, "limit:" .. node)
        enqueue(node)
      end
    end
    maybeFinish()
  end
  local expired = redis.call("ZRANGEBYSCORE", LEASES, "-inf", leaseNow())
  if #expired > 0 then
    callChunked("ZREM", LEASES, expired)
    preload(expired)
    preloadGraph(expired)
    local lost = {}
    for i = 1, #expired, CHUNK / 2 do
      local fields = {}
      for j = i, math.min(i + CHUNK / 2 - 1, #expired) do
        fields[#fields + 1] = expired[j]
        fields[#fields + 1] = "lost:" .. expired[j]
      end
      local held = redis.call("HMGET", HOLDERS, unpack(fields))
      for k = 1, #held, 2 do lost[#lost + 1] = {held[k] or "an unknown worker", tonumber(held[k + 1] or "0") + 1} end
    end
    local counts = {}
    for i, node in ipairs(expired) do
      local r = record(node)
      if not live(runStatus()) then break end
      if r and r.status == "running" then
        local worker, times = lost[i][1], lost[i][2]
        local _, _, limit, continues = graphEntry(node)
        counts[#counts + 1] = "lost:" .. node
        counts[#counts + 1] = times
        event(node, "lease-expired", {"worker", worker, "lost", times})
        if times >= limit then
          local err = "worker lost " .. times .. " times (last: " .. worker .. ")"
          dead[#dead + 1] = node
          dead[#dead + 1] = err
          failNode(node, err, continues)
        else
          enqueue(node)
        end
      end
    end
    if #counts > 0 then callChunked("HSET", HOLDERS, counts) end
  end
end
local nextDue = -1
for _, key in ipairs({DELAYED, LEASES}) do
  local first = redis.call("ZRANGE", key, 0, 0, "WITHSCORES")
  if first[2] and (nextDue < 0 or tonumber(first[2]) < nextDue) then nextDue = tonumber(first[2]) end
end
commit()
local result = {nextDue, runStatus() or "", dead}
-- Every queue with ready nodes, not only those touched here: a hint lost with a worker that
-- died between popping it and claiming is given again.
for _, q in ipairs(QUEUES) do
  if redis.call("LLEN", READY[q]) > 0 then result[#result + 1] = q end
end
return result
