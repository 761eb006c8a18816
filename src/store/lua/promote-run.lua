-- promote-run.lua: queue retries whose backoff is over, and take back nodes whose lease
-- expired (their worker died): they run again, same attempt, under a new token.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now
-- returns: {next due time or -1, run status, queues with ready nodes...}
local status = runStatus()
if status == "running" or status == "queued" then
  local due = redis.call("ZRANGEBYSCORE", DELAYED, "-inf", NOW)
  if #due > 0 then
    callChunked("ZREM", DELAYED, due)
    preload(due)
    for _, node in ipairs(due) do enqueue(node) end
  end
  local expired = redis.call("ZRANGEBYSCORE", LEASES, "-inf", NOW)
  if #expired > 0 then
    callChunked("ZREM", LEASES, expired)
    preload(expired)
    for _, node in ipairs(expired) do
      event(node, "lease-expired")
      enqueue(node)
    end
  end
end
local nextDue = -1
for _, key in ipairs({DELAYED, LEASES}) do
  local first = redis.call("ZRANGE", key, 0, 0, "WITHSCORES")
  if first[2] and (nextDue < 0 or tonumber(first[2]) < nextDue) then nextDue = tonumber(first[2]) end
end
commit()
local result = {nextDue, runStatus() or ""}
-- Every queue with ready nodes, not only those touched here: a hint lost with a worker that
-- died between popping it and claiming is given again.
for _, q in ipairs(QUEUES) do
  if redis.call("LLEN", READY[q]) > 0 then result[#result + 1] = q end
end
return result
