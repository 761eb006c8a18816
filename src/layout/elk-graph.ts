/**
 * What elk is asked: the sized graph in cell units, the layered algorithm with orthogonal
 * routing, and spacings chosen so that every gap survives rounding to whole cells. Effort drops
 * with size so 500 nodes lay out within a second and 2000 within a few (see bench/canvas.ts).
 */
import type { ElkExtendedEdge, ElkNode, LayoutOptions as ElkOptions } from "elkjs/lib/elk-api.js";
import { edgeLabelWidth } from "./node-size.js";
import type { SizedGraph } from "./sized-graph.js";
import type { LayoutOptions } from "./types.js";

export const elkNodeId = (index: number) => `n${index}`;
export const elkEdgeId = (index: number) => `e${index}`;

/**
 * How hard elk works, by size. Measured on generated workflows (bench/canvas.ts):
 * - small graphs get elk's full effort, every edge drawn on its own, and the nodes' declaration
 *   order respected, so the picture stays put while the designer edits;
 * - above 200 nodes edges out of one node share their first run (merged), which cuts the
 *   routing channels between layers (a 500-node canvas is 560 rows high instead of 1250) and
 *   the time; crossing minimisation gets one pass (thoroughness 1) instead of seven;
 * - above 400 nodes linear-segment placement (30% of elk's time) gives way to simple placement:
 *   at 500 nodes a layout takes 20-30% less time (0.85 -> 0.6 s), the canvas is narrower
 *   (346 columns instead of 443) and a little taller (590 rows instead of 570), and edges bend
 *   more often on their way down.
 * Brandes-Köpf placement draws the straightest edges but spreads big graphs very wide (4000
 * columns at 500 nodes). Network-simplex placement rounds port offsets to whole units, which puts
 * routes beside the middle of one-row nodes, so it is never used.
 */
function effortFor(nodeCount: number): ElkOptions {
  const small = nodeCount <= 200;
  return {
    "elk.layered.thoroughness": nodeCount <= 100 ? "7" : small ? "3" : "1",
    "elk.layered.nodePlacement.strategy":
      nodeCount <= 50 ? "BRANDES_KOEPF" : nodeCount <= 400 ? "LINEAR_SEGMENTS" : "SIMPLE",
    // Merged edges read as one stem per node that forks; unmerged, each edge is its own line.
    // Where stems of several sources share a channel, nobody can tell which feeds which target,
    // so graphs a person reads edge by edge keep their edges apart.
    "elk.layered.mergeEdges": small ? "false" : "true",
    ...(small ? { "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES" } : {}),
  };
}

export function elkLayoutOptions(nodeCount: number, options: LayoutOptions): ElkOptions {
  const down = options.direction === "down";
  return {
    "elk.algorithm": "layered",
    "elk.direction": down ? "DOWN" : "RIGHT",
    "elk.edgeRouting": "ORTHOGONAL",
    "elk.padding": "[top=0,left=0,bottom=0,right=0]",
    "elk.spacing.nodeNode": down ? "2" : "1",
    "elk.layered.spacing.nodeNodeBetweenLayers": down
      ? options.density === "full"
        ? "4"
        : "3"
      : "6",
    // Room for the cell under the source, a channel, and the arrow head above the target.
    "elk.layered.spacing.edgeNodeBetweenLayers": "2",
    "elk.layered.spacing.edgeEdgeBetweenLayers": "1",
    "elk.spacing.edgeEdge": "1",
    "elk.spacing.edgeNode": "1",
    "elk.spacing.edgeLabel": "0",
    "elk.spacing.componentComponent": "2",
    // A cycle (only ever transient while editing) is broken where a depth-first walk from the
    // first nodes closes it, so the loop's last edge is the one drawn backwards.
    "elk.layered.cycleBreaking.strategy": "DEPTH_FIRST",
    ...effortFor(nodeCount),
  };
}

export function toElkGraph(sized: SizedGraph, options: LayoutOptions): ElkNode {
  const indexOf = new Map(sized.nodes.map((n, i) => [n.id, i]));
  const edges: ElkExtendedEdge[] = sized.edges.map((e, i) => ({
    id: elkEdgeId(i),
    sources: [elkNodeId(indexOf.get(e.from)!)],
    targets: [elkNodeId(indexOf.get(e.to)!)],
    ...(e.label ? { labels: [{ text: e.label, width: edgeLabelWidth(e.label), height: 1 }] } : {}),
  }));
  return {
    id: "root",
    layoutOptions: elkLayoutOptions(sized.nodes.length, options),
    children: sized.nodes.map((n, i) => ({ id: elkNodeId(i), width: n.width, height: n.height })),
    edges,
  };
}
