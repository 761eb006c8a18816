import { findCycles } from "./cycles.js";
import type { Graph, NodeId } from "./graph.js";

/**
 * Kahn's algorithm, stable: among ready nodes the one declared first goes first, so the order
 * is the same run to run. A graph with a cycle has no order; one cycle's path is returned.
 */
export function topologicalOrder(g: Graph): { order: NodeId[] } | { cycle: NodeId[] } {
  const rank = new Map(g.ids.map((id, i) => [id, i]));
  const indegree = new Map(g.ids.map((id) => [id, g.predecessors.get(id)!.length]));
  const ready = new MinHeap<NodeId>((a, b) => rank.get(a)! - rank.get(b)!);
  for (const id of g.ids) if (indegree.get(id) === 0) ready.push(id);
  const order: NodeId[] = [];
  while (ready.size > 0) {
    const id = ready.pop()!;
    order.push(id);
    for (const next of g.successors.get(id)!) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length === g.ids.length) return { order };
  return { cycle: findCycles(g)[0]! };
}

class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}
  get size() {
    return this.items.length;
  }
  push(item: T) {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(a[i]!, a[parent]!) >= 0) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
