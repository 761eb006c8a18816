import type { Graph, NodeId } from "./graph.js";

/**
 * One cycle per strongly connected component that has one (Tarjan, iterative so deep graphs
 * cannot overflow the stack). Each cycle is a path that starts and ends on the same node,
 * beginning at the component's first node in declaration order: `[a, b, c, a]`.
 */
export function findCycles(g: Graph): NodeId[][] {
  const cycles: NodeId[][] = [];
  for (const component of stronglyConnectedComponents(g)) {
    const only = component[0]!;
    if (component.length === 1 && !g.successors.get(only)!.includes(only)) continue;
    cycles.push(cycleWithin(g, new Set(component), firstDeclared(g, component)));
  }
  const rank = new Map(g.ids.map((id, i) => [id, i]));
  return cycles.sort((a, b) => rank.get(a[0]!)! - rank.get(b[0]!)!);
}

function firstDeclared(g: Graph, component: NodeId[]): NodeId {
  const members = new Set(component);
  return g.ids.find((id) => members.has(id))!;
}

/** Shortest path from `start` back to itself inside the component (breadth first). */
function cycleWithin(g: Graph, members: Set<NodeId>, start: NodeId): NodeId[] {
  const parent = new Map<NodeId, NodeId>();
  const queue: NodeId[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    for (const next of g.successors.get(id)!) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at: NodeId | undefined = id; at !== undefined && at !== start; at = parent.get(at))
          path.push(at);
        path.push(start);
        return [path[0]!, ...path.slice(1, -1).reverse(), start];
      }
      if (!parent.has(next) && next !== start) {
        parent.set(next, id);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

export function stronglyConnectedComponents(g: Graph): NodeId[][] {
  const index = new Map<NodeId, number>();
  const low = new Map<NodeId, number>();
  const onStack = new Set<NodeId>();
  const stack: NodeId[] = [];
  const components: NodeId[][] = [];
  let counter = 0;
  for (const root of g.ids) {
    if (index.has(root)) continue;
    const work: { id: NodeId; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const out = g.successors.get(frame.id)!;
      if (frame.next < out.length) {
        const next = out[frame.next++]!;
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push({ id: next, next: 0 });
        } else if (onStack.has(next)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(next)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: NodeId[] = [];
        let member: NodeId;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component);
      }
    }
  }
  return components;
}
