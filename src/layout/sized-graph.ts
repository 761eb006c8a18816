/**
 * The graph as both layouts see it: each node once (first declaration wins), with its size in
 * cells, and only the edges whose ends both exist (an edge being drawn may dangle for a moment).
 */
import { buildGraph, type Graph } from "../graph/index.js";
import { boxHeight, boxWidth } from "./node-size.js";
import type { LayoutEdge, LayoutInput, LayoutNode, LayoutOptions } from "./types.js";

export interface SizedNode extends LayoutNode {
  width: number;
  height: number;
}

export interface SizedGraph {
  nodes: SizedNode[];
  byId: Map<string, SizedNode>;
  edges: LayoutEdge[];
  graph: Graph;
}

export function sizeGraph(input: LayoutInput, options: LayoutOptions): SizedGraph {
  const byId = new Map<string, SizedNode>();
  const height = boxHeight(options.density);
  for (const n of input.nodes) {
    if (byId.has(n.id)) continue;
    byId.set(n.id, {
      id: n.id,
      kind: n.kind,
      label: n.label,
      width: boxWidth(n.label, options.density),
      height,
    });
  }
  const edges = input.edges.filter((e) => byId.has(e.from) && byId.has(e.to));
  const nodes = [...byId.values()];
  return { nodes, byId, edges, graph: buildGraph(byId.keys(), edges) };
}
