-- renew-run.lua: a worker still runs a node: push its lease deadline out.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] node  ARGV[4] token  ARGV[5] lease ms
-- returns: 1 renewed; 0 the attempt is stale (taken back); -1 the run stopped (cancelled, failed)
if redis.call("HGET", META, "status") ~= "running" then return -1 end
if redis.call("HGET", STATE, ARGV[3]) ~= "running" or redis.call("HGET", TOKEN, ARGV[3]) ~= ARGV[4] then return 0 end
redis.call("ZADD", LEASES, tonumber(NOW) + tonumber(ARGV[5]), ARGV[3])
return 1
