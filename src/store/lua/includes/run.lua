-- run.lua: shared by every run script (prepended when the scripts load).
-- KEYS[1] meta hash  KEYS[2] graph hash (node -> queue TAB outgoing targets)
-- KEYS[3] nodes hash (node -> "status,attempt,token,pending,taken,start,end")  KEYS[4] outputs hash
-- KEYS[5] errors hash  KEYS[6] leases zset  KEYS[7] delayed zset  KEYS[8] events stream
-- KEYS[9] holders hash (node -> worker that claimed it, lost:<node> -> attempts lost)
-- KEYS[10] saga list (the tasks that succeeded and have a compensation, in the order they finished)
-- KEYS[11..] ready lists, one per queue, in the order of ARGV[1]
-- ARGV[1] the run's queues, comma separated (claim and renew, which never queue a node, may be
-- given only the one they work on)  ARGV[2] now (ms)
--
-- A script reads each node's record at most once, changes it in memory, and writes every changed
-- record, counter, ready-list push and event in a few calls at the end (flush, commit): a batch
-- of nodes costs a handful of Redis calls, not several per node.
local META, GRAPH, NODES, OUTPUTS, ERRORS = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local LEASES, DELAYED, EVENTS, HOLDERS, SAGA = KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]
local NOW = ARGV[2]
-- Lease deadlines are Redis's own time, never a worker's clock: a worker whose clock runs
-- behind must not keep a lease alive, nor one whose clock runs ahead take leases back early.
local serverMs = nil
local function leaseNow()
  if not serverMs then
    local t = redis.call("TIME")
    serverMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  return serverMs
end
local READY = {}
local QUEUES = {}
do
  local i = 0
  for q in string.gmatch(ARGV[1], "[^,]+") do
    i = i + 1
    READY[q] = KEYS[10 + i]
    QUEUES[i] = q
  end
end
local EVENTS_MAX = 10000
-- Lua's unpack refuses more than a few thousand values: long argument lists go in chunks.
local CHUNK = 2000
-- TERMINAL (final node states) and the other state tables come from the generated prelude.

-- Calls `cmd key` with `list` appended, in chunks of `step` values (step keeps pairs together).
local function callChunked(cmd, key, list, step)
  step = step or CHUNK
  for i = 1, #list, step do
    redis.call(cmd, key, unpack(list, i, math.min(i + step - 1, #list)))
  end
end

-- Node records -------------------------------------------------------------------------------
local records = {}  -- node -> record, or false when the run has no such node
local dirty = {}    -- nodes whose record changed, each once
local isDirty = {}

local function decode(raw)
  if not raw then return false end
  local s, a, t, p, k, st, en = string.match(raw, "^(%a+),(%d+),(%d+),(%-?%d+),(%d+),(%d+),(%d+)$")
  return {status = s, attempt = tonumber(a), token = tonumber(t), pending = tonumber(p),
    taken = tonumber(k), start = st, finish = en}
end

local function encode(r)
  return r.status .. "," .. r.attempt .. "," .. r.token .. "," .. r.pending .. "," .. r.taken
    .. "," .. r.start .. "," .. r.finish
end

local function newRecord(pending)
  return {status = "pending", attempt = 0, token = 0, pending = pending, taken = 0, start = "0", finish = "0"}
end

local function record(node)
  local r = records[node]
  if r == nil then
    r = decode(redis.call("HGET", NODES, node))
    records[node] = r
  end
  return r
end

-- Reads the records of `nodes` not read yet, in one call.
local function preload(nodes)
  local missing = {}
  for i = 1, #nodes do
    if records[nodes[i]] == nil then missing[#missing + 1] = nodes[i] end
  end
  for i = 1, #missing, CHUNK do
    local last = math.min(i + CHUNK - 1, #missing)
    local raw = redis.call("HMGET", NODES, unpack(missing, i, last))
    for j = i, last do records[missing[j]] = decode(raw[j - i + 1]) end
  end
end

local function changed(node, r)
  records[node] = r
  if not isDirty[node] then
    isDirty[node] = true
    dirty[#dirty + 1] = node
  end
end

-- `node` is to run again from the start (a map's item, a saga's compensation); its token goes on
-- from an earlier attempt's, so a late answer from then is stale.
local function restart(node)
  local r = record(node) or newRecord(0)
  r.status = "pending"
  r.attempt = 0
  r.start = "0"
  r.finish = "0"
  changed(node, r)
end

-- The graph (static) ----------------------------------------------------------------------------
local graphCache = {}

-- An entry is "queue TAB targets", then optionally "TAB lost-attempt limit TAB 1" (the 1 when a
-- failure lets the run go on), "TAB compensation" (the node that undoes this task) and "TAB
-- priority" (higher runs first): most nodes take the defaults and store nothing more.
local DEFAULT_LOST_LIMIT = 2

local function parseGraph(node, entry)
  entry = entry or ""
  local parts = {}
  for part in string.gmatch(entry .. "\t", "([^\t]*)\t") do parts[#parts + 1] = part end
  local outs = {}
  for t in string.gmatch(parts[2] or "", "[^,]+") do outs[#outs + 1] = t end
  graphCache[node] = {parts[1] or "", outs, tonumber(parts[3] or "") or DEFAULT_LOST_LIMIT,
    parts[4] == "1", parts[5] or "", tonumber(parts[6] or "") or 0}
end

-- A map task's items are records "<node>#<index>" (node ids never hold "#"): the node an item
-- belongs to, or nil for a node.
local function mapBase(node)
  return string.match(node, "^(.-)#%d+$")
end

local function graphEntry(node)
  if not graphCache[node] then
    local base = mapBase(node)
    if base then
      graphEntry(base)
      graphCache[node] = graphCache[base]
    else
      parseGraph(node, redis.call("HGET", GRAPH, node))
    end
  end
  local cached = graphCache[node]
  return cached[1], cached[2], cached[3], cached[4], cached[5]
end


local function preloadGraph(nodes)
  local missing, seen = {}, {}
  for i = 1, #nodes do
    local key = mapBase(nodes[i]) or nodes[i]
    if not graphCache[key] and not seen[key] then
      seen[key] = true
      missing[#missing + 1] = key
    end
  end
  for i = 1, #missing, CHUNK do
    local last = math.min(i + CHUNK - 1, #missing)
    local raw = redis.call("HMGET", GRAPH, unpack(missing, i, last))
    for j = i, last do parseGraph(missing[j], raw[j - i + 1]) end
  end
  for i = 1, #nodes do
    local base = mapBase(nodes[i])
    if base then graphCache[nodes[i]] = graphCache[base] end
  end
end

-- A run on one queue (the usual case) never needs the graph to know where a node goes.
local function queueOf(node)
  if #QUEUES == 1 then return QUEUES[1] end
  return (graphEntry(node))
end

-- The run's fields ---------------------------------------------------------------------------------
-- The fields scripts read and change (status, attempt, remaining and the per-status counters) are
-- read once, changed in memory and written back with the other batched writes.
local META_FIELDS = {"status", "attempt", "remaining", "n_succeeded", "n_failed", "n_skipped",
  "n_cancelled", "n_compensated", "ranked"}
local M = nil
local metaDirty = {}

local function meta()
  if not M then
    local v = redis.call("HMGET", META, unpack(META_FIELDS))
    M = {status = v[1] or false, attempt = tonumber(v[2] or "1"), remaining = tonumber(v[3] or "0")}
    for i = 4, #META_FIELDS do M[META_FIELDS[i]] = tonumber(v[i] or "0") end
  end
  return M
end

local function setMeta(field, value)
  meta()[field] = value
  metaDirty[field] = true
end

-- A field scripts seldom need (a saga's progress), read on first use.
local function metaGet(field)
  local m = meta()
  if m[field] == nil then m[field] = redis.call("HGET", META, field) or false end
  return m[field]
end

local function runStatus()
  return meta().status
end

-- Whether nodes of a run in this state may still be claimed, renewed and finished.
local function live(status)
  return status == "running" or status == "compensating"
end

-- A node's priority; 0 in a run none of whose nodes has one (`ranked` unset: no lookup at all).
local function priorityOf(node)
  if (meta().ranked or 0) ~= 1 then return 0 end
  graphEntry(node)
  return graphCache[node][6]
end

-- Batched writes ----------------------------------------------------------------------------------
local pushes = {}
local touched = {}
local events = {}
local sagaPushes = {}

local function count(field, delta)
  setMeta(field, (meta()[field] or 0) + delta)
end

-- One event per node change; every event of a script goes into one stream entry
-- ("t" NOW, then "node" id "status" s and extra fields, per event).
local function event(node, status, extra)
  local e = {"node", node, "status", status}
  if extra then for i = 1, #extra do e[#e + 1] = extra[i] end end
  events[#events + 1] = e
end

-- Writes changed records, counters and ready-list pushes (before anything reads them back).
local function flush()
  if #dirty > 0 then
    local flat = {}
    for i = 1, #dirty do
      flat[#flat + 1] = dirty[i]
      flat[#flat + 1] = encode(records[dirty[i]])
    end
    callChunked("HSET", NODES, flat)
    dirty = {}
    isDirty = {}
  end
  local fields = {}
  for field in pairs(metaDirty) do
    fields[#fields + 1] = field
    fields[#fields + 1] = M[field]
  end
  if #fields > 0 then redis.call("HSET", META, unpack(fields)) end
  metaDirty = {}
  for queue, nodes in pairs(pushes) do
    local ranked = false
    for i = 1, #nodes do
      if priorityOf(nodes[i]) ~= 0 then ranked = true end
    end
    if ranked then
      -- Higher priority first, then in the order they became ready: the list is put in order
      -- again (only runs whose nodes have priorities pay for it).
      local all = redis.call("LRANGE", READY[queue], 0, -1)
      for i = 1, #nodes do all[#all + 1] = nodes[i] end
      local order = {}
      for i = 1, #all do order[i] = {all[i], priorityOf(all[i]), i} end
      table.sort(order, function(a, b)
        if a[2] ~= b[2] then return a[2] > b[2] end
        return a[3] < b[3]
      end)
      local sorted = {}
      for i = 1, #order do sorted[i] = order[i][1] end
      redis.call("DEL", READY[queue])
      callChunked("RPUSH", READY[queue], sorted)
    else
      callChunked("RPUSH", READY[queue], nodes)
    end
  end
  pushes = {}
  if #sagaPushes > 0 then
    callChunked("RPUSH", SAGA, sagaPushes)
    sagaPushes = {}
  end
end

-- Every script ends with commit(): what flush() writes, and the events, in one stream entry
-- (several when there are thousands).
local function commit()
  flush()
  local i = 1
  while i <= #events do
    local entry = {"XADD", EVENTS, "MAXLEN", "~", EVENTS_MAX, "*", "t", NOW}
    while i <= #events and #entry < CHUNK do
      local e = events[i]
      for j = 1, #e do entry[#entry + 1] = e[j] end
      i = i + 1
    end
    redis.call(unpack(entry))
  end
  events = {}
end

-- Transitions ------------------------------------------------------------------------------------
local function finishNode(node, status, extra)
  local r = record(node)
  r.status = status
  r.finish = NOW
  changed(node, r)
  -- A map's items are not nodes: the run's counters move when the map node finishes.
  if not mapBase(node) then
    count("remaining", -1)
    count("n_" .. status, 1)
  end
  event(node, status, extra)
end

local function enqueue(node)
  local queue = queueOf(node)
  local r = record(node)
  r.status = "queued"
  if r.attempt == 0 then r.attempt = 1 end
  changed(node, r)
  local list = pushes[queue]
  if not list then
    list = {}
    pushes[queue] = list
  end
  list[#list + 1] = node
  touched[queue] = true
  event(node, "queued")
end

-- Dead-path elimination: a node runs when every incoming edge is resolved and one was taken;
-- when all were skipped it is skipped too, and so are its outgoing edges, transitively.
local function resolve(target, taken)
  local stack = {{target, taken}}
  while #stack > 0 do
    local item = table.remove(stack)
    local node, isTaken = item[1], item[2]
    local r = record(node)
    if r and r.status == "pending" then
      if isTaken then r.taken = r.taken + 1 end
      r.pending = r.pending - 1
      changed(node, r)
      if r.pending <= 0 then
        if r.taken > 0 then
          enqueue(node)
        else
          finishNode(node, "skipped")
          local _, outs = graphEntry(node)
          preload(outs)
          for i = 1, #outs do stack[#stack + 1] = {outs[i], false} end
        end
      end
    end
  end
end

-- A node finished and its outgoing edges resolve: `takenList` is "*" (all), "" (none) or
-- a comma list of the targets taken.
local function release(node, takenList)
  local _, outs = graphEntry(node)
  preload(outs)
  local chosen = {}
  if takenList ~= "*" then for t in string.gmatch(takenList, "[^,]+") do chosen[t] = true end end
  for i = 1, #outs do resolve(outs[i], takenList == "*" or chosen[outs[i]] == true) end
end

-- Nothing of the run is left queued, delayed or leased.
local function dropQueued()
  for _, q in ipairs(QUEUES) do redis.call("DEL", READY[q]) end
  redis.call("DEL", LEASES, DELAYED)
end

-- Every node not finished becomes `status`; nothing is left queued, delayed or leased.
local function withdrawAll(status)
  flush()
  records = {}
  local all = redis.call("HGETALL", NODES)
  for i = 1, #all, 2 do records[all[i]] = decode(all[i + 1]) end
  for i = 1, #all, 2 do
    local r = records[all[i]]
    if r and not TERMINAL[r.status] then finishNode(all[i], status) end
  end
  dropQueued()
  flush()
end

local function finishRun(status, reason)
  setMeta("status", status)
  setMeta("finished", NOW)
  if reason then setMeta("reason", reason) end
  event("", "run:" .. status)
end

local function maybeFinish()
  local m = meta()
  if m.remaining <= 0 and m.status == "running" then
    -- Failures that let the run go on (continueOnFailure) still count: not a full success.
    if (m.n_failed or 0) > 0 then
      finishRun("partially_succeeded", m.n_failed .. " node(s) failed and the run went on past them")
    else
      finishRun("succeeded")
    end
  end
end

-- Maps --------------------------------------------------------------------------------------------
-- A map task's worker works out its items and hands them back; each item then runs as a record
-- of its own ("<node>#<i>"), queued on the node's queue, at most `limit` at a time, so every
-- worker serving the queue takes some. While they run the node's record counts them: `pending`
-- items not finished, `taken` the next to queue. OUTPUTS keeps "<node>#map" ([count, limit]),
-- "<node>#items" (the list, for the workers) and each item's output until the last one is done;
-- then the node's output is the list of results in order, and the node succeeds.
local function mapShape(node)
  local raw = redis.call("HGET", OUTPUTS, node .. "#map")
  if not raw then return 0, 0 end
  local shape = cjson.decode(raw)
  return shape[1], shape[2]
end

local function queueItem(node, r)
  local item = node .. "#" .. r.taken
  restart(item)
  r.taken = r.taken + 1
  changed(node, r)
  enqueue(item)
end

-- The items of `node` not finished stop (the map failed, or the run goes on without it).
local function withdrawItems(node)
  local n = mapShape(node)
  local items = {}
  for i = 0, n - 1 do items[#items + 1] = node .. "#" .. i end
  preload(items)
  local running = {}
  for _, item in ipairs(items) do
    local ir = record(item)
    if ir and not TERMINAL[ir.status] then
      if ir.status == "running" then running[#running + 1] = item end
      finishNode(item, "cancelled")
    end
  end
  if #running > 0 then callChunked("ZREM", LEASES, running) end
  redis.call("HDEL", OUTPUTS, node .. "#items", node .. "#map")
end

-- Sagas ------------------------------------------------------------------------------------------
-- SAGA lists the tasks that succeeded and have a compensation, in the order they finished. When
-- the run fails (or is cancelled with --compensate) their compensations run one at a time, the
-- last one done first, each with its own retries and timeout. An undone task leaves the list; one
-- whose compensation failed stays, at the list's tail (`comp_failed` counts them), and the run
-- ends compensation_failed naming it. `undoing` is the compensation running, `undoing_task` the
-- task it undoes. Compensations have no record until they are needed and never run otherwise.

-- A task that succeeded: its compensation joins the saga (in the order tasks finish).
local function joinSaga(node)
  local _, _, _, _, comp = graphEntry(node)
  if comp ~= "" then sagaPushes[#sagaPushes + 1] = node end
end

-- A node succeeded: it joins the saga and its outgoing edges in `takenList` are taken.
local function succeedNode(node, takenList, extra)
  finishNode(node, "succeeded", extra)
  joinSaga(node)
  release(node, takenList)
end

local function notUndone()
  flush()
  return table.concat(redis.call("LRANGE", SAGA, 0, -1), ", ")
end

-- Queues the compensation of the latest task not undone yet, or ends the run when none is left.
local function compensateNext()
  local failed = tonumber(metaGet("comp_failed") or "0") or 0
  local task = redis.call("LINDEX", SAGA, -(failed + 1))
  if not task then
    setMeta("undoing", "")
    setMeta("undoing_task", "")
    local reason = metaGet("reason") or ""
    if failed > 0 then
      finishRun("compensation_failed", reason .. "; not undone: " .. notUndone())
    else
      finishRun("compensated", reason)
    end
    return
  end
  local _, _, _, _, comp = graphEntry(task)
  local t = record(task)
  if t then
    t.status = "compensating"
    changed(task, t)
    event(task, "compensating", {"by", comp})
  end
  restart(comp)
  redis.call("HDEL", ERRORS, comp)
  setMeta("undoing", comp)
  setMeta("undoing_task", task)
  enqueue(comp)
end

-- Starts undoing the run (the flow's nodes already withdrawn); false when there is nothing to undo.
local function startCompensation(reason)
  flush()
  if redis.call("LLEN", SAGA) == 0 then return false end
  setMeta("status", "compensating")
  setMeta("reason", reason)
  setMeta("comp_failed", 0)
  event("", "run:compensating")
  compensateNext()
  return true
end

-- Whether `node` is the compensation the run is undoing with now.
local function isUndoing(node)
  return runStatus() == "compensating" and node == metaGet("undoing")
end

local function endCompensation(node, status)
  local r = record(node)
  r.status = status
  r.finish = NOW
  changed(node, r)
  event(node, status)
end

local function compensationSucceeded(node)
  endCompensation(node, "succeeded")
  local task = metaGet("undoing_task")
  local t = record(task)
  if t and t.status == "compensating" then
    t.status = "compensated"
    changed(task, t)
    count("n_succeeded", -1)
    count("n_compensated", 1)
    event(task, "compensated")
  end
  redis.call("LREM", SAGA, -1, task)
  compensateNext()
end

-- A task whose undo `why` (failed, cancelled) stays done: back to succeeded.
local function keepDone(task, why)
  local t = task and task ~= "" and record(task)
  if t and t.status == "compensating" then
    t.status = "succeeded"
    changed(task, t)
    event(task, "succeeded", {"undo", why})
  end
end

-- The task it was to undo stays done (back to succeeded); the saga goes on with the one before.
local function compensationFailed(node, err)
  redis.call("HSET", ERRORS, node, err)
  endCompensation(node, "failed")
  keepDone(metaGet("undoing_task"), "failed")
  setMeta("comp_failed", (tonumber(metaGet("comp_failed") or "0") or 0) + 1)
  compensateNext()
end

-- The run fails: nothing more of its flow runs, and what succeeded is undone where it can be.
local function failRun(reason)
  withdrawAll("cancelled")
  if not startCompensation(reason) then finishRun("failed", reason) end
end

-- A node failed for good (no retry left): the run goes on past it when the node says so
-- (continueOnFailure), else the run fails; `abort` (the handler asked) fails it whatever the
-- node says. A compensation that fails leaves its task done and the saga goes on.
local function failNode(node, err, continues, abort)
  if runStatus() == "compensating" then
    if isUndoing(node) then compensationFailed(node, err) end
    return
  end
  redis.call("HSET", ERRORS, node, err)
  finishNode(node, "failed")
  local base = mapBase(node)
  if base then
    -- An item that failed for good fails its map node (its other items stop), by the node's rule
    -- as the item's failure met it (continueOnFailure, or a code or line continueOn lists).
    local r = record(base)
    if r and r.status == "running" then
      withdrawItems(base)
      failNode(base, "item " .. string.sub(node, #base + 2) .. ": " .. err, continues, abort)
    end
    return
  end
  if continues and not abort then
    release(node, "*")
    maybeFinish()
  elseif abort then
    failRun("node " .. node .. " aborted the run: " .. err)
  else
    failRun("node " .. node .. " failed: " .. err)
  end
end

-- A map node's items are known: the first `limit` are queued (none: the node succeeds with []).
local function startMap(node, itemsJson, n, limit)
  local r = record(node)
  if n == 0 then
    redis.call("HSET", OUTPUTS, node, "[]")
    succeedNode(node, "*")
    return
  end
  redis.call("HSET", OUTPUTS, node .. "#map", cjson.encode({n, limit}), node .. "#items", itemsJson)
  r.pending = n
  r.taken = 0
  changed(node, r)
  for _ = 1, math.min(limit, n) do queueItem(node, r) end
  event(node, "running", {"progress", "0/" .. n})
end

-- An item succeeded: the next one is queued; after the last, the map node succeeds with the
-- items' results in order.
local function itemSucceeded(item, output)
  local base = mapBase(item)
  redis.call("HSET", OUTPUTS, item, output == "" and "null" or output)
  finishNode(item, "succeeded")
  local r = record(base)
  if not r or r.status ~= "running" then return end
  local n = mapShape(base)
  r.pending = r.pending - 1
  changed(base, r)
  if r.taken < n then queueItem(base, r) end
  event(base, "running", {"progress", (n - r.pending) .. "/" .. n})
  if r.pending > 0 then return end
  local fields = {}
  for i = 0, n - 1 do fields[#fields + 1] = base .. "#" .. i end
  local results = {}
  for i = 1, #fields, CHUNK do
    local last = math.min(i + CHUNK - 1, #fields)
    local got = redis.call("HMGET", OUTPUTS, unpack(fields, i, last))
    for j = 1, #got do results[#results + 1] = got[j] or "null" end
  end
  redis.call("HSET", OUTPUTS, base, "[" .. table.concat(results, ",") .. "]")
  fields[#fields + 1] = base .. "#items"
  fields[#fields + 1] = base .. "#map"
  callChunked("HDEL", OUTPUTS, fields)
  succeedNode(base, "*")
end

local function touchedQueues()
  flush()
  local out = {}
  for q in pairs(touched) do out[#out + 1] = q end
  return out
end

-- Leases up to `max` ready nodes of `queue` to `worker`; appends node, attempt, token triples
-- to `result` and returns how many nodes are left ready on that queue. The ready list's nodes go
-- first, then those this script queued and has not pushed yet (the same order as pushing them
-- and popping): a node queued and claimed by one script never goes through the list.
local function claimReady(queue, max, leaseMs, worker, result)
  local status = runStatus()
  local key = READY[queue]
  if (status ~= "queued" and not live(status)) or not key or max <= 0 then
    flush()
    return key and redis.call("LLEN", key) or 0
  end
  -- Nodes with priorities just queued: the list is put in order (flushed) before any is taken.
  for _, node in ipairs(pushes[queue] or {}) do
    if priorityOf(node) ~= 0 then
      flush()
      break
    end
  end
  local popped = redis.call("LPOP", key, max) or {}
  -- LPOP gave fewer than asked only when it emptied the list.
  local listLeft = -1
  if #popped < max then listLeft = 0 end
  local fresh = pushes[queue]
  if fresh and #popped < max then
    local take = math.min(max - #popped, #fresh)
    for i = 1, take do popped[#popped + 1] = fresh[i] end
    local rest = {}
    for i = take + 1, #fresh do rest[#rest + 1] = fresh[i] end
    pushes[queue] = #rest > 0 and rest or nil
  end
  if #popped == 0 then return #(pushes[queue] or {}) end
  if status == "queued" then
    setMeta("status", "running")
    setMeta("started", NOW)
    event("", "run:running")
  end
  preload(popped)
  local deadline = leaseNow() + leaseMs
  local leases, holders = {}, {}
  for i = 1, #popped do
    local node = popped[i]
    local r = record(node)
    if r and r.status == "queued" then
      r.token = r.token + 1
      r.status = "running"
      if r.start == "0" then r.start = NOW end
      changed(node, r)
      leases[#leases + 1] = deadline
      leases[#leases + 1] = node
      holders[#holders + 1] = node
      holders[#holders + 1] = worker
      event(node, "running", {"attempt", r.attempt, "worker", worker})
      result[#result + 1] = node
      result[#result + 1] = r.attempt
      result[#result + 1] = r.token
    end
  end
  if #leases > 0 then
    callChunked("ZADD", LEASES, leases)
    callChunked("HSET", HOLDERS, holders)
  end
  if listLeft < 0 then listLeft = redis.call("LLEN", key) end
  return listLeft + #(pushes[queue] or {})
end
