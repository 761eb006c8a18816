/**
 * Moving around a laid-out canvas from the keyboard: the node an arrow key goes to, and the
 * scroll positions that bring a node into view.
 */
import { canvasIndex } from "./canvas-index.js";
import type { Box, CellGeometry, CompassDirection, Point, Viewport } from "./types.js";

export function boxOf(geometry: CellGeometry, id: string): Box | undefined {
  const i = canvasIndex(geometry).boxIndexById.get(id);
  return i === undefined ? undefined : geometry.boxes[i];
}

/** Cells between two ranges on one axis; 0 when they overlap. */
const gapBetween = (a0: number, a1: number, b0: number, b1: number) =>
  Math.max(0, b0 - a1, a0 - b1);

/**
 * Sideways distance costs this much more than distance ahead, so a node in line (the same layer,
 * the same column) wins over a nearer one off to the side, as in a spreadsheet.
 */
const SIDEWAYS_WEIGHT = 8;

/**
 * The node an arrow key moves to: among nodes whose centre lies beyond this one's in that
 * direction, the one with the least distance ahead plus weighted sideways gap.
 */
export function nearestInDirection(
  geometry: CellGeometry,
  fromId: string,
  direction: CompassDirection,
): string | undefined {
  const from = boxOf(geometry, fromId);
  if (!from) return undefined;
  const vertical = direction === "up" || direction === "down";
  const sign = direction === "down" || direction === "right" ? 1 : -1;
  const centre = (b: Box) => ({ x: b.x + (b.width - 1) / 2, y: b.y + (b.height - 1) / 2 });
  const origin = centre(from);
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const b of geometry.boxes) {
    if (b.id === fromId) continue;
    const c = centre(b);
    const ahead = sign * (vertical ? c.y - origin.y : c.x - origin.x);
    if (ahead <= 0) continue;
    const sideways = vertical
      ? gapBetween(from.x, from.x + from.width - 1, b.x, b.x + b.width - 1)
      : gapBetween(from.y, from.y + from.height - 1, b.y, b.y + b.height - 1);
    const offCentre = Math.abs(vertical ? c.x - origin.x : c.y - origin.y);
    // Off-centre distance only breaks ties between boxes that overlap in line.
    const score = ahead + SIDEWAYS_WEIGHT * sideways + offCentre / 1000;
    if (score < bestScore) {
      bestScore = score;
      best = b.id;
    }
  }
  return best;
}

const clampScroll = (value: number, content: number, view: number) =>
  Math.max(0, Math.min(value, content - view));

/** The smallest scroll from the viewport's position that shows the whole box (or its start). */
export function scrollToShow(geometry: CellGeometry, id: string, viewport: Viewport): Point {
  const b = boxOf(geometry, id);
  if (!b) return { x: viewport.x, y: viewport.y };
  const axis = (start: number, size: number, view: number, at: number, content: number) => {
    let next = at;
    if (start + size > next + view) next = start + size - view;
    if (start < next) next = start;
    return clampScroll(next, content, view);
  };
  return {
    x: axis(b.x, b.width, viewport.width, viewport.x, geometry.width),
    y: axis(b.y, b.height, viewport.height, viewport.y, geometry.height),
  };
}

/** The scroll that puts the box in the middle of the viewport, kept inside the canvas. */
export function centreOn(
  geometry: CellGeometry,
  id: string,
  viewportSize: { width: number; height: number },
): Point {
  const b = boxOf(geometry, id);
  if (!b) return { x: 0, y: 0 };
  const middle = (start: number, size: number, view: number, content: number) =>
    clampScroll(Math.round(start + size / 2 - view / 2), content, view);
  return {
    x: middle(b.x, b.width, viewportSize.width, geometry.width),
    y: middle(b.y, b.height, viewportSize.height, geometry.height),
  };
}
