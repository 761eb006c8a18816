import type { Graph, NodeId } from "./graph.js";

/** Every node reachable from `starts` by following edges forward (the starts included). */
export function reachableFrom(g: Graph, starts: Iterable<NodeId>): Set<NodeId> {
  return walk(starts, (id) => g.successors.get(id) ?? []);
}

/** Every node from which `target` can be reached (not `target` itself unless on a cycle). */
export function ancestorsOf(g: Graph, target: NodeId): Set<NodeId> {
  const seen = walk(g.predecessors.get(target) ?? [], (id) => g.predecessors.get(id) ?? []);
  return seen;
}

function walk(starts: Iterable<NodeId>, next: (id: NodeId) => readonly NodeId[]): Set<NodeId> {
  const seen = new Set<NodeId>();
  const stack = [...starts];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const n of next(id)) if (!seen.has(n)) stack.push(n);
  }
  return seen;
}

/**
 * The shortest path of edges from `from` to `to`, both included, or undefined when there is
 * none. Used to explain why an edge `to -> from` would close a cycle.
 */
export function pathBetween(g: Graph, from: NodeId, to: NodeId): NodeId[] | undefined {
  const parent = new Map<NodeId, NodeId>();
  const queue: NodeId[] = [from];
  const seen = new Set<NodeId>([from]);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    if (id === to) {
      const path = [to];
      for (let at = to; at !== from; ) {
        at = parent.get(at)!;
        path.push(at);
      }
      return path.reverse();
    }
    for (const next of g.successors.get(id) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      parent.set(next, id);
      queue.push(next);
    }
  }
  return undefined;
}
