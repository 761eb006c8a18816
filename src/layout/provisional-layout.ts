/**
 * A quick synchronous layout, drawn at once while elk works and used when elk fails: longest-path
 * layers, barycentre ordering, each node placed under the mean of its parents, simple routes.
 * Linear in the size of the graph; cycles, dangling edges and empty graphs are all fine.
 */
import { placeOnCanvas } from "./canvas-bounds.js";
import { assignLayers } from "./layer-assignment.js";
import { screenSize, toScreen } from "./layer-frame.js";
import { orderLayers } from "./layer-order.js";
import { edgeLabelWidth } from "./node-size.js";
import { arrowCell } from "./route-cells.js";
import { simpleRoute } from "./simple-route.js";
import { type SizedNode, sizeGraph } from "./sized-graph.js";
import type { Box, CellGeometry, EdgeRoute, LayoutInput, LayoutOptions, Point } from "./types.js";

/** Cells between neighbours in a layer, and between layers, by direction and density. */
function spacing(options: LayoutOptions, longestLabel: number) {
  if (options.direction === "down") return { across: 2, along: options.density === "full" ? 4 : 3 };
  return { across: 1, along: Math.max(6, longestLabel + 3) };
}

/**
 * Places one layer: every node wants to sit centred at `desired`; a left-to-right pass and a
 * right-to-left pass each keep the spacing, and their average keeps it too while spreading the
 * push evenly to both sides.
 */
function placeAcross(sizes: number[], desired: number[], gap: number): number[] {
  const n = sizes.length;
  const fromLeft = new Array<number>(n);
  const fromRight = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const want = desired[i]! - Math.floor(sizes[i]! / 2);
    fromLeft[i] = i === 0 ? want : Math.max(want, fromLeft[i - 1]! + sizes[i - 1]! + gap);
  }
  for (let i = n - 1; i >= 0; i--) {
    const want = desired[i]! - Math.floor(sizes[i]! / 2);
    fromRight[i] = i === n - 1 ? want : Math.min(want, fromRight[i + 1]! - gap - sizes[i]!);
  }
  return fromLeft.map((l, i) => Math.floor((l + fromRight[i]!) / 2));
}

export function provisionalLayout(input: LayoutInput, options: LayoutOptions): CellGeometry {
  const sized = sizeGraph(input, options);
  const { layers } = assignLayers(sized.graph);
  orderLayers(layers, sized.graph);
  const down = options.direction === "down";
  const acrossSize = (n: SizedNode) => (down ? n.width : n.height);
  const alongSize = (n: SizedNode) => (down ? n.height : n.width);
  const longestLabel = Math.max(0, ...sized.edges.map((e) => edgeLabelWidth(e.label ?? "")));
  const gap = spacing(options, longestLabel);

  const centreOf = new Map<string, number>();
  const boxes = new Map<string, Box>();
  let along = 0;
  for (const layer of layers) {
    const nodes = layer.map((id) => sized.byId.get(id)!);
    const sizes = nodes.map(acrossSize);
    let packed = 0;
    const desired = nodes.map((n, i) => {
      const parents = sized.graph.predecessors.get(n.id)!.filter((p) => centreOf.has(p));
      const own = packed + Math.floor(sizes[i]! / 2);
      packed += sizes[i]! + gap.across;
      if (parents.length === 0) return own;
      return Math.round(parents.reduce((s, p) => s + centreOf.get(p)!, 0) / parents.length);
    });
    const across = placeAcross(sizes, desired, gap.across);
    nodes.forEach((n, i) => {
      const corner = toScreen({ across: across[i]!, along }, options.direction);
      const size = screenSize(acrossSize(n), alongSize(n), options.direction);
      boxes.set(n.id, { id: n.id, kind: n.kind, label: n.label, ...corner, ...size });
      centreOf.set(n.id, across[i]! + Math.floor(sizes[i]! / 2));
    });
    along += Math.max(...nodes.map(alongSize)) + gap.along;
  }

  const edges: EdgeRoute[] = sized.edges.map((e) => {
    const points = simpleRoute(boxes.get(e.from)!, boxes.get(e.to)!, options.direction);
    const route: EdgeRoute = { id: e.id, from: e.from, to: e.to, points };
    if (e.label) route.label = { ...labelBeside(arrowCell(points), e.label, down), text: e.label };
    return route;
  });
  return placeOnCanvas([...boxes.values()], edges, options);
}

/** Down: right of the arrow head. Right: on the row above it, ending just before it. */
const labelBeside = (arrow: Point, text: string, down: boolean): Point =>
  down ? { x: arrow.x + 1, y: arrow.y } : { x: arrow.x - edgeLabelWidth(text), y: arrow.y - 1 };
