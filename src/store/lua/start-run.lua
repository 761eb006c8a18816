-- start-run.lua: write a new run and queue its first nodes.
-- KEYS as in includes/run.lua.  ARGV[1] queues  ARGV[2] now
-- ARGV[3] run fields (JSON object: id, workflow, version, hash, params, who, ...)
-- ARGV[4] nodes (JSON array of [id, queue, "target,target", incoming count], followed by the
--         lost-attempt limit and 1 or 0 for "a failure lets the run go on" when not the defaults)
-- ARGV[5] roots (comma list)  ARGV[8] "1": some node has a priority  ARGV[7] "1": held by its workflow's limit of concurrent runs (the
-- roots wait in the run's `roots` field until admit-run.lua lets it go)  ARGV[6] compensation nodes (JSON array of [id, queue, lost-attempt
--         limit]): in the graph, with no record until a saga is undone; task entries of ARGV[4]
--         then carry their compensation's id after the limit and the 1 or 0
-- returns: {1, queue, queue, ...} the queues that got ready nodes; {0} when the run exists
if redis.call("EXISTS", META) == 1 then return {0} end
local nodes = cjson.decode(ARGV[4])
local flat = {}
for k, v in pairs(cjson.decode(ARGV[3])) do
  flat[#flat + 1] = k
  flat[#flat + 1] = tostring(v)
end
for _, kv in ipairs({{"status", "queued"}, {"created", NOW}, {"remaining", #nodes}, {"total", #nodes},
  {"queues", ARGV[1]}}) do
  flat[#flat + 1] = kv[1]
  flat[#flat + 1] = kv[2]
end
callChunked("HSET", META, flat)
local graph = {}
for i = 1, #nodes do
  local n = nodes[i]
  local entry = n[2] .. "\t" .. n[3]
  if n[5] then entry = entry .. "\t" .. n[5] .. "\t" .. n[6] end
  if n[7] then entry = entry .. "\t" .. n[7] end
  if n[8] then entry = entry .. "\t" .. n[8] end
  graph[#graph + 1] = n[1]
  graph[#graph + 1] = entry
  parseGraph(n[1], entry)
  changed(n[1], newRecord(n[4]))
end
for _, c in ipairs(cjson.decode(ARGV[6] or "[]")) do
  graph[#graph + 1] = c[1]
  graph[#graph + 1] = c[2] .. "\t\t" .. c[3] .. "\t0"
end
callChunked("HSET", GRAPH, graph)
event("", "run:queued")
-- Nodes with priorities: ready lists are kept in priority order (see flush in includes/run.lua).
if ARGV[8] == "1" then setMeta("ranked", 1) end
if ARGV[7] == "1" then
  redis.call("HSET", META, "held", "1", "roots", ARGV[5])
else
  for root in string.gmatch(ARGV[5], "[^,]+") do enqueue(root) end
end
local result = {1}
for _, q in ipairs(touchedQueues()) do result[#result + 1] = q end
commit()
return result
