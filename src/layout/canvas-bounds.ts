/**
 * Moves a finished drawing so its top-left used cell sits one cell in from the canvas corner,
 * and sizes the canvas to hold every box, route and label with the same margin all round.
 */
import { edgeLabelWidth } from "./node-size.js";
import type { Box, CellGeometry, EdgeRoute, LayoutOptions } from "./types.js";

const MARGIN = 1;

export function placeOnCanvas(
  boxes: Box[],
  edges: EdgeRoute[],
  options: LayoutOptions,
): CellGeometry {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  const cover = (x0: number, y0: number, x1: number, y1: number) => {
    minX = Math.min(minX, x0);
    minY = Math.min(minY, y0);
    maxX = Math.max(maxX, x1);
    maxY = Math.max(maxY, y1);
  };
  for (const b of boxes) cover(b.x, b.y, b.x + b.width - 1, b.y + b.height - 1);
  for (const e of edges) {
    for (const p of e.points) cover(p.x, p.y, p.x, p.y);
    if (e.label)
      cover(e.label.x, e.label.y, e.label.x + edgeLabelWidth(e.label.text) - 1, e.label.y);
  }
  if (boxes.length === 0) return { width: 0, height: 0, options, boxes: [], edges: [] };
  const dx = MARGIN - minX;
  const dy = MARGIN - minY;
  return {
    width: maxX + dx + 1 + MARGIN,
    height: maxY + dy + 1 + MARGIN,
    options,
    boxes: boxes.map((b) => ({ ...b, x: b.x + dx, y: b.y + dy })),
    edges: edges.map((e) => ({
      ...e,
      points: e.points.map((p) => ({ x: p.x + dx, y: p.y + dy })),
      ...(e.label ? { label: { ...e.label, x: e.label.x + dx, y: e.label.y + dy } } : {}),
    })),
  };
}
