-- run.lua: shared by every run script (prepended when the scripts load).
-- KEYS[1] meta hash  KEYS[2] graph hash (node -> queue TAB outgoing targets)  KEYS[3] state hash
-- KEYS[4] attempt hash  KEYS[5] token hash  KEYS[6] pending hash (unresolved incoming edges)
-- KEYS[7] taken hash (incoming edges taken)  KEYS[8] outputs hash  KEYS[9] errors hash
-- KEYS[10] times hash  KEYS[11] leases zset  KEYS[12] delayed zset  KEYS[13] events stream
-- KEYS[14..] the run's ready lists, one per queue, in the order of ARGV[1]
-- ARGV[1] the run's queues, comma separated  ARGV[2] now (ms)
local META, GRAPH, STATE, ATTEMPT, TOKEN = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local PENDING, TAKEN, OUTPUTS, ERRORS, TIMES = KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]
local LEASES, DELAYED, EVENTS = KEYS[11], KEYS[12], KEYS[13]
local NOW = ARGV[2]
local READY = {}
local QUEUES = {}
do
  local i = 0
  for q in string.gmatch(ARGV[1], "[^,]+") do
    i = i + 1
    READY[q] = KEYS[13 + i]
    QUEUES[i] = q
  end
end
local EVENTS_MAX = 10000
local touched = {}

local function event(node, status, extra)
  local fields = {"XADD", EVENTS, "MAXLEN", "~", EVENTS_MAX, "*", "t", NOW, "node", node, "status", status}
  if extra then for i = 1, #extra do fields[#fields + 1] = extra[i] end end
  redis.call(unpack(fields))
end

-- Per-script caches and batched writes: a batch of nodes costs few calls, not many per node.
local graphCache = {}
local counters = {}
local pushes = {}

local function graphEntry(node)
  local cached = graphCache[node]
  if cached then return cached[1], cached[2] end
  local entry = redis.call("HGET", GRAPH, node) or ""
  local tab = string.find(entry, "\t", 1, true)
  local queue, outs = entry, {}
  if tab then
    queue = string.sub(entry, 1, tab - 1)
    for t in string.gmatch(string.sub(entry, tab + 1), "[^,]+") do outs[#outs + 1] = t end
  end
  graphCache[node] = {queue, outs}
  return queue, outs
end

local function count(field, delta)
  counters[field] = (counters[field] or 0) + delta
end

-- Writes what was batched: counters and ready-list pushes. Every script ends with it.
local function commit()
  for field, delta in pairs(counters) do
    if delta ~= 0 then redis.call("HINCRBY", META, field, delta) end
  end
  counters = {}
  for queue, nodes in pairs(pushes) do redis.call("RPUSH", READY[queue], unpack(nodes)) end
  pushes = {}
end

local TERMINAL = {succeeded = true, failed = true, skipped = true, cancelled = true}

local function finishNode(node, status)
  redis.call("HSET", STATE, node, status)
  redis.call("HSET", TIMES, node .. ":end", NOW)
  count("remaining", -1)
  count("n_" .. status, 1)
  event(node, status)
end

local function enqueue(node)
  local queue = graphEntry(node)
  redis.call("HSET", STATE, node, "queued")
  redis.call("HSETNX", ATTEMPT, node, 1)
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
    local state = redis.call("HGET", STATE, node)
    if state == "pending" then
      if isTaken then redis.call("HINCRBY", TAKEN, node, 1) end
      local left = redis.call("HINCRBY", PENDING, node, -1)
      if left <= 0 then
        if tonumber(redis.call("HGET", TAKEN, node) or "0") > 0 then
          enqueue(node)
        else
          finishNode(node, "skipped")
          local _, outs = graphEntry(node)
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
  local chosen = {}
  if takenList ~= "*" then for t in string.gmatch(takenList, "[^,]+") do chosen[t] = true end end
  for i = 1, #outs do resolve(outs[i], takenList == "*" or chosen[outs[i]] == true) end
end

-- Every node not finished becomes `status`; nothing is left queued, delayed or leased.
local function withdrawAll(status)
  commit()
  local all = redis.call("HGETALL", STATE)
  for i = 1, #all, 2 do
    if not TERMINAL[all[i + 1]] then finishNode(all[i], status) end
  end
  for _, q in ipairs(QUEUES) do redis.call("DEL", READY[q]) end
  redis.call("DEL", LEASES, DELAYED)
  commit()
end

local function finishRun(status, reason)
  redis.call("HSET", META, "status", status, "finished", NOW)
  if reason then redis.call("HSET", META, "reason", reason) end
  event("", "run:" .. status)
end

local function maybeFinish()
  commit()
  if tonumber(redis.call("HGET", META, "remaining") or "1") <= 0 and redis.call("HGET", META, "status") == "running" then
    finishRun("succeeded")
  end
end

local function touchedQueues()
  commit()
  local out = {}
  for q in pairs(touched) do out[#out + 1] = q end
  return out
end

-- Leases up to `max` ready nodes of `queue` to `worker`; appends node, attempt, token triples
-- to `result` and returns how many nodes are left in that ready list.
local function claimReady(queue, max, leaseMs, worker, result)
  commit()
  local status = redis.call("HGET", META, "status")
  local key = READY[queue]
  if (status ~= "queued" and status ~= "running") or not key or max <= 0 then
    return key and redis.call("LLEN", key) or 0
  end
  local popped = redis.call("LPOP", key, max)
  if popped then
    if status == "queued" then
      redis.call("HSET", META, "status", "running", "started", NOW)
      event("", "run:running")
    end
    local deadline = tonumber(NOW) + leaseMs
    for i = 1, #popped do
      local node = popped[i]
      if redis.call("HGET", STATE, node) == "queued" then
        local token = redis.call("HINCRBY", TOKEN, node, 1)
        local attempt = redis.call("HGET", ATTEMPT, node)
        redis.call("HSET", STATE, node, "running")
        redis.call("HSETNX", TIMES, node .. ":start", NOW)
        redis.call("ZADD", LEASES, deadline, node)
        event(node, "running", {"attempt", attempt, "worker", worker})
        result[#result + 1] = node
        result[#result + 1] = tonumber(attempt)
        result[#result + 1] = token
      end
    end
  end
  return redis.call("LLEN", key)
end
