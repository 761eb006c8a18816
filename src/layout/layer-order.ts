/**
 * Orders the nodes inside each layer to cut crossings cheaply: a few barycentre sweeps, each
 * node moving to the mean relative position of its neighbours in the layers already ordered.
 * Good enough for a first picture; elk does the careful work.
 */
import type { Graph, NodeId } from "../graph/index.js";

/** Position of every node as a fraction of its layer's length, so layers of any size compare. */
function relativePositions(layers: readonly NodeId[][]): Map<NodeId, number> {
  const at = new Map<NodeId, number>();
  for (const layer of layers)
    for (let i = 0; i < layer.length; i++) at.set(layer[i]!, (i + 0.5) / layer.length);
  return at;
}

function sweep(
  layers: NodeId[][],
  neighbours: (id: NodeId) => readonly NodeId[],
  indices: readonly number[],
): void {
  const at = relativePositions(layers);
  for (const l of indices) {
    const layer = layers[l]!;
    const keyed = layer.map((id) => {
      const near = neighbours(id);
      let sum = 0;
      let count = 0;
      for (const n of near) {
        const p = at.get(n);
        if (p === undefined || n === id) continue;
        sum += p;
        count++;
      }
      return { id, key: count > 0 ? sum / count : at.get(id)! };
    });
    keyed.sort((a, b) => a.key - b.key); // stable: ties keep the current order
    keyed.forEach(({ id }, i) => {
      layer[i] = id;
      at.set(id, (i + 0.5) / layer.length);
    });
  }
}

/** Reorders `layers` in place: down, up, down. */
export function orderLayers(layers: NodeId[][], g: Graph): void {
  const down = layers.map((_, i) => i).slice(1);
  const up = layers
    .map((_, i) => i)
    .reverse()
    .slice(1);
  const predecessors = (id: NodeId) => g.predecessors.get(id)!;
  const successors = (id: NodeId) => g.successors.get(id)!;
  sweep(layers, predecessors, down);
  sweep(layers, successors, up);
  sweep(layers, predecessors, down);
}
