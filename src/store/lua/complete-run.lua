-- complete-run.lua: mark nodes succeeded (a batch) and release what follows them.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now  ARGV[3] count
-- then per node, from ARGV[4+5i]: node, token, output JSON ("" for none), taken targets
-- ("*" all, "" none, a comma list, or "@<ms>": a delay node that waits in the delayed set until
-- then, holding no worker, and is finished by promote-run), flags ("cached": the output came from
-- the cache, and the event says so; "map:<count>:<limit>": a map node, its output the items, which
-- then run as records of their own, see includes/run.lua); after them: claim max, lease ms, worker id, and the
-- worker's queues (comma list): the worker takes at once up to that many ready nodes of the run
-- on its queues, those these completions release and any left before (claim max 0: none)
-- returns: {stale completions ignored, run status, run attempt, count of queues left with ready
--           nodes, then queue and how many are ready for each, node, attempt, token, ...}
local stale = 0
local n = tonumber(ARGV[3])
local status = runStatus()
local done = {}
for i = 0, n - 1 do done[#done + 1] = ARGV[4 + 5 * i] end
local alive = live(status)
if status == "running" then
  preload(done)
  preloadGraph(done)
end
local leases, outputs, waits = {}, {}, {}
for i = 0, n - 1 do
  local at = 4 + 5 * i
  local node, token, output, taken, flags = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3],
    ARGV[at + 4]
  local r = alive and record(node)
  if not r or r.status ~= "running" or r.token ~= tonumber(token) then
    stale = stale + 1
  else
    leases[#leases + 1] = node
    if string.sub(taken, 1, 1) == "@" then
      local untilMs = string.sub(taken, 2)
      r.status = "waiting"
      changed(node, r)
      waits[#waits + 1] = untilMs
      waits[#waits + 1] = node
      event(node, "waiting", {"until", untilMs})
    else
      -- A map node's output is its items, an item's is kept at once (the last gathers them all).
      local mapped = status ~= "compensating" and (mapBase(node) or string.sub(flags, 1, 4) == "map:")
      if output ~= "" and not mapped then
        outputs[#outputs + 1] = node
        outputs[#outputs + 1] = output
      end
      if status == "compensating" then
        if isUndoing(node) then compensationSucceeded(node) end
      elseif mapBase(node) then
        itemSucceeded(node, output)
      elseif string.sub(flags, 1, 4) == "map:" then
        -- flags "map:<items>:<limit>"
        startMap(node, output, tonumber(string.match(flags, "^map:(%d+)")),
          tonumber(string.match(flags, "^map:%d+:(%d+)$")))
      else
        succeedNode(node, taken, flags == "cached" and {"cached", "1"} or nil)
      end
    end
  end
end
if #waits > 0 then callChunked("ZADD", DELAYED, waits) end
if #leases > 0 then callChunked("ZREM", LEASES, leases) end
if #outputs > 0 then callChunked("HSET", OUTPUTS, outputs) end
maybeFinish()
local base = 4 + 5 * n
local claimMax, leaseMs, worker = tonumber(ARGV[base]), tonumber(ARGV[base + 1]), ARGV[base + 2]
local claimed = {}
local left = {}
local serves = {}
for q in string.gmatch(ARGV[base + 3], "[^,]+") do serves[q] = true end
local active = live(runStatus()) or runStatus() == "queued"
for _, q in ipairs(active and QUEUES or {}) do
  local remaining = 0
  if serves[q] and claimMax > #claimed / 3 then
    remaining = claimReady(q, claimMax - #claimed / 3, leaseMs, worker, claimed)
  elseif serves[q] or touched[q] then
    flush()
    remaining = redis.call("LLEN", READY[q])
  end
  if remaining > 0 then
    left[#left + 1] = q
    left[#left + 1] = remaining
  end
end
commit()
local result = {stale, runStatus(), meta().attempt, #left / 2}
for _, q in ipairs(left) do result[#result + 1] = q end
for _, v in ipairs(claimed) do result[#result + 1] = v end
return result
