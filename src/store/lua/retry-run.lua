-- retry-run.lua: a new attempt of a finished run: the given nodes start over, the others keep
-- their results (and outputs), and nodes whose inputs are all resolved are queued or skipped.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] who
-- ARGV[4] nodes to reset (JSON array of [node, unresolved incoming edges, taken incoming edges, is root])
-- ARGV[5] the workflow's compensation nodes (comma list): their records of an undone saga go
-- returns: {new run attempt, queue, queue, ...}, or {0, status} when the run has not finished
local status = runStatus()
if status == "queued" or live(status) or not status then return {0, status or ""} end
local reset = cjson.decode(ARGV[4])
local attempt = meta().attempt + 1
setMeta("attempt", attempt)
setMeta("status", "running")
setMeta("retriedBy", ARGV[3])
setMeta("retried", NOW)
setMeta("trigger", "retry")
redis.call("HDEL", META, "finished", "reason", "cancelledBy", "stop", "undoing", "undoing_task",
  "comp_failed")
local ids = {}
for i = 1, #reset do ids[i] = reset[i][1] end
preload(ids)
for i = 1, #reset do
  local node = reset[i][1]
  local r = record(node) or newRecord(0)
  if TERMINAL[r.status] then count("n_" .. r.status, -1) end
  r.status = "pending"
  r.pending = reset[i][2]
  r.taken = reset[i][3]
  r.start = "0"
  r.finish = "0"
  if r.attempt > 0 then r.attempt = r.attempt + 1 end
  changed(node, r)
end
callChunked("HDEL", OUTPUTS, ids)
callChunked("HDEL", ERRORS, ids)
-- A task that runs again joins the saga again when it succeeds; the compensations start afresh.
if redis.call("LLEN", SAGA) > 0 then
  for i = 1, #ids do redis.call("LREM", SAGA, 0, ids[i]) end
end
local comps = {}
for c in string.gmatch(ARGV[5] or "", "[^,]+") do comps[#comps + 1] = c end
if #comps > 0 then
  callChunked("HDEL", NODES, comps)
  callChunked("HDEL", ERRORS, comps)
  callChunked("HDEL", OUTPUTS, comps)
  for i = 1, #comps do records[comps[i]] = nil end
end
-- A new attempt of the run starts each reset node's count of lost attempts again.
local lostFields = {}
for i = 1, #ids do lostFields[i] = "lost:" .. ids[i] end
callChunked("HDEL", HOLDERS, lostFields)
-- "remaining" is set to the truth: the nodes not finished after the reset.
flush()
local unfinished = 0
local all = redis.call("HGETALL", NODES)
for i = 2, #all, 2 do
  local r = decode(all[i])
  if r and not TERMINAL[r.status] then unfinished = unfinished + 1 end
end
setMeta("remaining", unfinished)
event("", "run:retrying", {"attempt", attempt, "who", ARGV[3]})
for i = 1, #reset do
  local node, pending, taken, isRoot = reset[i][1], reset[i][2], reset[i][3], reset[i][4]
  if pending == 0 and record(node).status == "pending" then
    if taken > 0 or isRoot then
      enqueue(node)
    else
      finishNode(node, "skipped")
      local _, outs = graphEntry(node)
      preload(outs)
      for j = 1, #outs do resolve(outs[j], false) end
    end
  end
end
maybeFinish()
local result = {attempt}
for _, q in ipairs(touchedQueues()) do result[#result + 1] = q end
commit()
return result
