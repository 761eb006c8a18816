/** Pure graph algorithms over string ids: adjacency, order, cycles with their path, reachability. */
export { findCycles, stronglyConnectedComponents } from "./cycles.js";
export { buildGraph, type Graph, type GraphEdge, leaves, type NodeId, roots } from "./graph.js";
export { ancestorsOf, pathBetween, reachableFrom } from "./reach.js";
export { topologicalOrder } from "./topo.js";
