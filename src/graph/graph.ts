/** A directed graph over string ids: the shape every graph algorithm in weft works on. */
export type NodeId = string;

export interface Graph {
  readonly ids: readonly NodeId[];
  readonly successors: ReadonlyMap<NodeId, readonly NodeId[]>;
  readonly predecessors: ReadonlyMap<NodeId, readonly NodeId[]>;
}

export interface GraphEdge {
  from: NodeId;
  to: NodeId;
}

/** Builds adjacency lists; edges whose ends are not among `ids` are left out (report them apart). */
export function buildGraph(ids: Iterable<NodeId>, edges: Iterable<GraphEdge>): Graph {
  const successors = new Map<NodeId, NodeId[]>();
  const predecessors = new Map<NodeId, NodeId[]>();
  for (const id of ids) {
    if (successors.has(id)) continue;
    successors.set(id, []);
    predecessors.set(id, []);
  }
  for (const { from, to } of edges) {
    const out = successors.get(from);
    const into = predecessors.get(to);
    if (!out || !into) continue;
    out.push(to);
    into.push(from);
  }
  return { ids: [...successors.keys()], successors, predecessors };
}

export const roots = (g: Graph): NodeId[] =>
  g.ids.filter((id) => g.predecessors.get(id)!.length === 0);
export const leaves = (g: Graph): NodeId[] =>
  g.ids.filter((id) => g.successors.get(id)!.length === 0);
