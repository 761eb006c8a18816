-- renew-run.lua: a worker still runs these nodes: push their lease deadlines out.
-- KEYS as in includes/run.lua (no ready list is needed).  ARGV[1] queues  ARGV[2] now
-- ARGV[3] lease ms  ARGV[4..] node, token, node, token, ...
-- returns: per node, 1 renewed, 0 the attempt is stale (taken back), 2 the node was withdrawn
--          while the run goes on undoing a saga (3: with no kill grace); or alone -1 when the run
--          stopped (cancelled, failed), -2 when it was cancelled with "now" (no kill grace)
local status = runStatus()
if not live(status) then
  -- `stop` is written by a cancel and dropped by a retry: only this attempt's cancel counts.
  if redis.call("HGET", META, "stop") == "now" then return -2 end
  return -1
end
local deadline = leaseNow() + tonumber(ARGV[3])
local nodes = {}
for i = 4, #ARGV, 2 do nodes[#nodes + 1] = ARGV[i] end
preload(nodes)
local result, leases = {}, {}
for i = 4, #ARGV, 2 do
  local r = record(ARGV[i])
  if r and r.status == "running" and r.token == tonumber(ARGV[i + 1]) then
    leases[#leases + 1] = deadline
    leases[#leases + 1] = ARGV[i]
    result[#result + 1] = 1
  elseif r and r.status == "cancelled" and status == "compensating" then
    result[#result + 1] = redis.call("HGET", META, "stop") == "now" and 3 or 2
  else
    result[#result + 1] = 0
  end
end
if #leases > 0 then callChunked("ZADD", LEASES, leases) end
return result
