-- save-workflows.lua: save one or more workflows as new immutable versions, all or nothing.
-- KEYS[1] workflow index (zset name -> updated ms)  KEYS[2] audit stream or role hash
-- KEYS[3+4i..6+4i] for workflow i: meta hash, versions hash (n -> canonical JSON),
--                  info hash (n -> version JSON), hashes hash (content hash -> latest n)
-- ARGV[1] now ms  ARGV[2] author  ARGV[3] host  ARGV[4] message  ARGV[5] audit spec (includes/audit.lua)
-- ARGV[6] action (save | import)  then for workflow i, from ARGV[7+6i]:
--          name, canonical JSON, content hash, parent ("" = no check, "0" = must be new), node count,
--          presentation JSON (the author's order of nodes, edges and parameters; not hashed)
-- returns: {1, v1, s1, v2, s2, ...} with s = "created" | "unchanged"
--          {-1, i, name, current version, current author, parent's author} when workflow i's
--          parent is stale
local now, author, host, message, maxlen, action = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local count = (#KEYS - 2) / 4

-- First pass: check every parent, so a conflict anywhere writes nothing.
local current = {}
for i = 0, count - 1 do
  local meta = KEYS[3 + 4 * i]
  local parent = ARGV[7 + 6 * i + 3]
  local deleted = redis.call("HGET", meta, "deleted") == "1"
  local cur = tonumber(redis.call("HGET", meta, "current") or "0")
  if deleted then cur = 0 end
  current[i] = cur
  if parent ~= "" and tonumber(parent) ~= cur then
    local by = redis.call("HGET", meta, "updatedBy") or ""
    local parentInfo = redis.call("HGET", KEYS[5 + 4 * i], parent)
    local parentBy = parentInfo and cjson.decode(parentInfo).author or ""
    return {-1, i, ARGV[7 + 6 * i], cur, by, parentBy}
  end
end

local result = {1}
for i = 0, count - 1 do
  local meta, versions, info, hashes = KEYS[3 + 4 * i], KEYS[4 + 4 * i], KEYS[5 + 4 * i], KEYS[6 + 4 * i]
  local base = 7 + 6 * i
  local name, canonical, hash, nodes = ARGV[base], ARGV[base + 1], ARGV[base + 2], ARGV[base + 4]
  local presentation = ARGV[base + 5]
  local cur = current[i]
  local stored = tonumber(redis.call("HGET", meta, "current") or "0")
  local same = cur > 0 and redis.call("HGET", meta, "hash") == hash
  if same then
    table.insert(result, cur)
    table.insert(result, "unchanged")
  else
    local n = stored + 1
    redis.call("HSET", versions, n, canonical)
    -- The record is JSON written by hand around the client's presentation JSON, so that empty
    -- lists stay lists (cjson would turn them into objects).
    redis.call("HSET", info, n, string.sub(cjson.encode({
      version = n, hash = hash, parent = cur, author = author, host = host,
      time = tonumber(now), message = message, nodes = tonumber(nodes)
    }), 1, -2) .. ',"presentation":' .. presentation .. "}")
    redis.call("HSET", hashes, hash, n)
    if stored == 0 then redis.call("HSET", meta, "created", now, "createdBy", author) end
    redis.call("HSET", meta, "name", name, "current", n, "hash", hash, "updated", now,
      "updatedBy", author, "nodes", nodes, "deleted", "0")
    redis.call("ZADD", KEYS[1], now, name)
    appendAudit(KEYS[2], maxlen, {"who", author, "host", host, "time", now,
      "action", action, "workflow", name, "version", n, "hash", hash, "message", message})
    table.insert(result, n)
    table.insert(result, "created")
  end
end
return result
