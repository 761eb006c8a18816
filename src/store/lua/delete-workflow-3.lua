-- delete-workflow-3.lua: take a workflow out of the list; its versions stay, never rewritten.
-- KEYS[1] workflow index  KEYS[2] audit stream or role hash  KEYS[3] meta hash
-- ARGV[1] now ms  ARGV[2] who  ARGV[3] host  ARGV[4] audit spec (includes/audit.lua)  ARGV[5] name
-- returns: current version deleted, or 0 when there is no such workflow (or it is deleted already)
local cur = tonumber(redis.call("HGET", KEYS[3], "current") or "0")
if cur == 0 or redis.call("HGET", KEYS[3], "deleted") == "1" then return 0 end
redis.call("HSET", KEYS[3], "deleted", "1", "deletedAt", ARGV[1], "deletedBy", ARGV[2])
redis.call("ZREM", KEYS[1], ARGV[5])
appendAudit(KEYS[2], ARGV[4], {"who", ARGV[2], "host", ARGV[3], "time", ARGV[1],
  "action", "delete", "workflow", ARGV[5], "version", tostring(cur), "hash", redis.call("HGET", KEYS[3], "hash") or "", "message", ""})
return cur
