-- includes/audit.lua: one audit entry, where the caller's role may write it.
-- spec: a number (the legacy stream's approximate max length: XADD), "hash:<acl user>" (that
-- role's append-only hash: HSETNX of one JSON entry under "<ms>-<n>", `who` the ACL user and
-- `name` the display name), or "none" (a role with no audit, the worker).
-- fields: a flat list {field, value, ...}; its "who" is the display name.
local function appendAudit(key, spec, fields)
  if spec == "none" then return end
  if string.sub(spec, 1, 5) == "hash:" then
    local entry = {}
    for i = 1, #fields, 2 do entry[fields[i]] = fields[i + 1] end
    entry.name = entry.who
    entry.who = string.sub(spec, 6)
    local t = redis.call("TIME")
    local id = tostring(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
    local json = cjson.encode(entry)
    local n = 0
    while redis.call("HSETNX", key, id .. "-" .. n, json) == 0 do n = n + 1 end
    return
  end
  redis.call("XADD", key, "MAXLEN", "~", spec, "*", unpack(fields))
end
