/**
 * Turns elk's fractional coordinates into whole cells. Sizes and spacings given to elk are
 * whole cells, so snapping each box keeps every gap (no overlaps); each route is rebuilt from
 * the border cell it leaves through, its bends, and the border cell it enters through, with a
 * corner added wherever rounding split a straight line. A route that still is not sound is
 * replaced by a simple one.
 */
import type { ElkExtendedEdge, ElkNode, ElkPoint } from "elkjs/lib/elk-api.js";
import { placeOnCanvas } from "./canvas-bounds.js";
import { elkEdgeId, elkNodeId } from "./elk-graph.js";
import { edgeLabelWidth } from "./node-size.js";
import { borderCell, joinAnchors, routeIsSound, type Side } from "./route-cells.js";
import { simpleRoute } from "./simple-route.js";
import type { SizedGraph } from "./sized-graph.js";
import type { Box, CellGeometry, Direction, EdgeRoute, LayoutOptions, Point } from "./types.js";

// elk's arithmetic leaves values like 11.999999999; they belong to cell 12.
const EPSILON = 1e-6;
const cellOf = (v: number) => Math.floor(v + EPSILON);

/**
 * A box of odd size is centred on a cell's middle and rounds; an even one floors. Either way the
 * cell under elk's centre line becomes the box's middle cell, where its routes attach.
 */
const snapStart = (v: number, size: number) => (size % 2 === 1 ? cellOf(v + 0.5) : cellOf(v));

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Which side of elk's rectangle a route's end point lies on. A point on a corner (elk puts the
 * ports of one-row nodes there) counts as on the side facing the next or previous layer.
 */
function sideOf(r: Rect, p: ElkPoint, direction: Direction): Side {
  const distances: [Side, number][] = [
    ["top", Math.abs(p.y - r.y)],
    ["bottom", Math.abs(p.y - (r.y + r.height))],
    ["left", Math.abs(p.x - r.x)],
    ["right", Math.abs(p.x - (r.x + r.width))],
  ];
  if (direction === "right") distances.push(distances.shift()!, distances.shift()!);
  return distances.reduce((best, d) => (d[1] < best[1] - EPSILON ? d : best))[0];
}

const alongSide = (side: Side, p: ElkPoint) =>
  side === "top" || side === "bottom" ? cellOf(p.x) : cellOf(p.y);

function cellRoute(
  edge: ElkExtendedEdge,
  from: { rect: Rect; box: Box },
  to: { rect: Rect; box: Box },
  direction: Direction,
): Point[] | undefined {
  const section = edge.sections?.[0];
  if (!section) return undefined;
  const startSide = sideOf(from.rect, section.startPoint, direction);
  const endSide = sideOf(to.rect, section.endPoint, direction);
  const start = borderCell(from.box, startSide, alongSide(startSide, section.startPoint));
  const end = borderCell(to.box, endSide, alongSide(endSide, section.endPoint));
  const bends = (section.bendPoints ?? []).map((p) => ({ x: cellOf(p.x), y: cellOf(p.y) }));
  return joinAnchors(start, startSide, bends, end, endSide);
}

/**
 * elk leaves one unit between a label and its line; a line drawn in the cell after a boundary
 * makes that an empty cell on one side only (above a line across, left of a line down). Move
 * such a label up against its line.
 */
function besideRoute(at: Point, width: number, points: readonly Point[]): Point {
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const across = a.y === b.y && Math.min(a.x, b.x) < at.x + width && Math.max(a.x, b.x) >= at.x;
    if (across && a.y === at.y + 2) return { x: at.x, y: at.y + 1 };
    const down = a.x === b.x && Math.min(a.y, b.y) <= at.y && Math.max(a.y, b.y) >= at.y;
    if (down && a.x === at.x + width + 1) return { x: at.x + 1, y: at.y };
  }
  return at;
}

export function elkToCells(laid: ElkNode, sized: SizedGraph, options: LayoutOptions): CellGeometry {
  const children = new Map((laid.children ?? []).map((c) => [c.id, c]));
  const placed = sized.nodes.map((n, i) => {
    const c: Partial<ElkNode> = children.get(elkNodeId(i)) ?? {};
    const rect = { x: c.x ?? 0, y: c.y ?? 0, width: n.width, height: n.height };
    const box: Box = {
      id: n.id,
      kind: n.kind,
      label: n.label,
      x: snapStart(rect.x, n.width),
      y: snapStart(rect.y, n.height),
      width: n.width,
      height: n.height,
    };
    return { rect, box };
  });
  const byId = new Map(placed.map((p) => [p.box.id, p]));
  const laidEdges = new Map((laid.edges ?? []).map((e) => [e.id, e as ElkExtendedEdge]));
  const edges: EdgeRoute[] = sized.edges.map((e, i) => {
    const from = byId.get(e.from)!;
    const to = byId.get(e.to)!;
    const elkEdge = laidEdges.get(elkEdgeId(i));
    let points = elkEdge && cellRoute(elkEdge, from, to, options.direction);
    if (!points || !routeIsSound(points, from.box, to.box))
      points = simpleRoute(from.box, to.box, options.direction);
    const route: EdgeRoute = { id: e.id, from: e.from, to: e.to, points };
    const label = elkEdge?.labels?.[0];
    if (e.label && label) {
      const at = { x: cellOf(label.x ?? 0), y: cellOf(label.y ?? 0) };
      route.label = { ...besideRoute(at, edgeLabelWidth(e.label), points), text: e.label };
    }
    return route;
  });
  return placeOnCanvas(
    placed.map((p) => p.box),
    edges,
    options,
  );
}
