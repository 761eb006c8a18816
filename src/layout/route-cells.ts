/**
 * Orthogonal routes on the cell grid: where a route meets a box, how anchors are joined with
 * right-angle corners, and the soundness rule every route obeys (leaves its source through a
 * border cell, never runs through either end box, and ends with an arrow cell outside the target).
 */
import type { Box, Point } from "./types.js";

export type Side = "top" | "bottom" | "left" | "right";

const clamp = (v: number, lo: number, hi: number) => (hi < lo ? lo : Math.min(hi, Math.max(lo, v)));

/** Border cell of `box` on `side`; `along` is the column (top/bottom) or row (left/right). */
export function borderCell(box: Box, side: Side, along: number): Point {
  const innerX = clamp(along, box.x + 1, box.x + box.width - 2);
  const innerY = box.height >= 3 ? clamp(along, box.y + 1, box.y + box.height - 2) : box.y;
  switch (side) {
    case "top":
      return { x: innerX, y: box.y };
    case "bottom":
      return { x: innerX, y: box.y + box.height - 1 };
    case "left":
      return { x: box.x, y: innerY };
    case "right":
      return { x: box.x + box.width - 1, y: innerY };
  }
}

/** The cell next to `cell` away from the box, across `side`. */
export function outsideCell(cell: Point, side: Side): Point {
  switch (side) {
    case "top":
      return { x: cell.x, y: cell.y - 1 };
    case "bottom":
      return { x: cell.x, y: cell.y + 1 };
    case "left":
      return { x: cell.x - 1, y: cell.y };
    case "right":
      return { x: cell.x + 1, y: cell.y };
  }
}

const isVerticalSide = (side: Side) => side === "top" || side === "bottom";

/**
 * Joins a box's border cell, its outside cell, the bend points and the target's outside and
 * border cells into one orthogonal polyline. Where two anchors differ in both coordinates a
 * corner is added, chosen so the route leaves and enters boxes straight across their border.
 */
export function joinAnchors(
  start: Point,
  startSide: Side,
  bends: readonly Point[],
  end: Point,
  endSide: Side,
): Point[] {
  const anchors = [start, outsideCell(start, startSide), ...bends, outsideCell(end, endSide), end];
  const path: Point[] = [anchors[0]!];
  for (let i = 1; i < anchors.length; i++) {
    const a = path[path.length - 1]!;
    const b = anchors[i]!;
    if (a.x !== b.x && a.y !== b.y) {
      // Into the target's outside cell: travel across the target's border last.
      const lastLegVertical =
        i === anchors.length - 2
          ? isVerticalSide(endSide)
          : !(i === 2 ? isVerticalSide(startSide) : previousLegVertical(path));
      path.push(lastLegVertical ? { x: b.x, y: a.y } : { x: a.x, y: b.y });
    }
    path.push(b);
  }
  return simplify(path);
}

function previousLegVertical(path: readonly Point[]): boolean {
  if (path.length < 2) return true;
  return path[path.length - 1]!.x === path[path.length - 2]!.x;
}

/** Drops repeated points and points in the middle of a straight run (but keeps reversals). */
export function simplify(points: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && last.x === p.x && last.y === p.y) continue;
    const before = out[out.length - 2];
    if (before && last) {
      const straightX = before.x === last.x && last.x === p.x;
      const straightY = before.y === last.y && last.y === p.y;
      const forward =
        (straightX && Math.sign(last.y - before.y) === Math.sign(p.y - last.y)) ||
        (straightY && Math.sign(last.x - before.x) === Math.sign(p.x - last.x));
      if (forward) out.pop();
    }
    out.push(p);
  }
  return out;
}

const inside = (box: Box, p: Point) =>
  p.x >= box.x && p.x < box.x + box.width && p.y >= box.y && p.y < box.y + box.height;

/** Whether the cells from a to b (inclusive, one axis) touch the box. */
function segmentTouches(box: Box, a: Point, b: Point): boolean {
  const x0 = Math.min(a.x, b.x);
  const x1 = Math.max(a.x, b.x);
  const y0 = Math.min(a.y, b.y);
  const y1 = Math.max(a.y, b.y);
  return x1 >= box.x && x0 < box.x + box.width && y1 >= box.y && y0 < box.y + box.height;
}

/** One step from a towards b along their shared axis. */
const stepTowards = (a: Point, b: Point): Point => ({
  x: a.x + Math.sign(b.x - a.x),
  y: a.y + Math.sign(b.y - a.y),
});

/** The cell that holds the arrow head: the one before the last point. */
export function arrowCell(points: readonly Point[]): Point {
  const last = points[points.length - 1]!;
  const before = points[points.length - 2] ?? last;
  return stepTowards(last, before);
}

/**
 * A route is sound when it is orthogonal with no empty legs, starts on the source's border,
 * ends on the target's border, and no other cell of it lies inside either end box.
 * (For a self-loop source and target are the same box, which the rule covers too.)
 */
export function routeIsSound(points: readonly Point[], source: Box, target: Box): boolean {
  if (points.length < 2) return false;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if ((a.x !== b.x) === (a.y !== b.y)) return false;
  }
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (!onBorder(source, first) || !onBorder(target, last)) return false;
  for (let i = 1; i < points.length; i++) {
    let a = points[i - 1]!;
    let b = points[i]!;
    if (i === 1) a = stepTowards(a, b);
    if (i === points.length - 1) {
      if (a.x === b.x && a.y === b.y) continue;
      b = stepTowards(b, a);
    }
    if (segmentTouches(source, a, b) || segmentTouches(target, a, b)) return false;
  }
  return true;
}

function onBorder(box: Box, p: Point): boolean {
  if (!inside(box, p)) return false;
  return (
    p.x === box.x ||
    p.x === box.x + box.width - 1 ||
    p.y === box.y ||
    p.y === box.y + box.height - 1
  );
}
