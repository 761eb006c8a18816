/**
 * Longest-path layering that tolerates cycles: edges closing a cycle (found by depth-first
 * search in declaration order) are ignored for layering, so a graph mid-edit still lays out.
 * Works on node indices, since it runs on every keystroke that changes the graph's shape.
 */
import type { Graph, NodeId } from "../graph/index.js";

export interface Layering {
  /** Node ids per layer, in declaration order; sources first. */
  layers: NodeId[][];
}

/** Successor indices per node with self-loops and cycle-closing edges left out. */
function forwardSuccessors(g: Graph, indexOf: Map<NodeId, number>): number[][] {
  const successors = g.ids.map((id) => g.successors.get(id)!.map((to) => indexOf.get(to)!));
  const forward: number[][] = successors.map(() => []);
  const state = new Uint8Array(g.ids.length); // 0 unseen, 1 on the stack, 2 done
  const next = new Uint32Array(g.ids.length);
  for (let root = 0; root < g.ids.length; root++) {
    if (state[root] !== 0) continue;
    const stack = [root];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const out = successors[top]!;
      if (next[top]! >= out.length) {
        state[top] = 2;
        stack.pop();
        continue;
      }
      const to = out[next[top]!++]!;
      if (state[to] === 1) continue; // closes a cycle (or a self-loop)
      forward[top]!.push(to);
      if (state[to] === 0) {
        state[to] = 1;
        stack.push(to);
      }
    }
  }
  return forward;
}

export function assignLayers(g: Graph): Layering {
  const n = g.ids.length;
  const indexOf = new Map(g.ids.map((id, i) => [id, i]));
  const forward = forwardSuccessors(g, indexOf);
  const waiting = new Uint32Array(n);
  for (const out of forward) for (const to of out) waiting[to]!++;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (waiting[i] === 0) order.push(i);
  const layer = new Int32Array(n);
  for (let k = 0; k < order.length; k++) {
    const from = order[k]!;
    for (const to of forward[from]!) {
      layer[to] = Math.max(layer[to]!, layer[from]! + 1);
      if (--waiting[to]! === 0) order.push(to);
    }
  }
  // Pull each node down next to its nearest successor, so a late input is not drawn far above.
  for (let k = order.length - 1; k >= 0; k--) {
    const id = order[k]!;
    let nearest = Number.POSITIVE_INFINITY;
    for (const to of forward[id]!) nearest = Math.min(nearest, layer[to]!);
    if (nearest !== Number.POSITIVE_INFINITY) layer[id] = Math.max(layer[id]!, nearest - 1);
  }
  const sparse: NodeId[][] = [];
  for (let i = 0; i < n; i++) {
    sparse[layer[i]!] ??= [];
    sparse[layer[i]!]!.push(g.ids[i]!);
  }
  // Pulling nodes down can empty a layer; drop the gaps.
  return { layers: sparse.filter((l) => l !== undefined) };
}
