/** What every geometry must satisfy, as a list of problems (empty when sound). */
import type { Box, CellGeometry, Point } from "../../src/layout/index.js";

const inside = (b: Box, p: Point) =>
  p.x >= b.x && p.x < b.x + b.width && p.y >= b.y && p.y < b.y + b.height;

const onBorder = (b: Box, p: Point) =>
  inside(b, p) &&
  (p.x === b.x || p.x === b.x + b.width - 1 || p.y === b.y || p.y === b.y + b.height - 1);

/** Every cell of a polyline, in order. */
export function cellsOf(points: readonly Point[]): Point[] {
  const cells: Point[] = [points[0]!];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const dx = Math.sign(b.x - a.x);
    const dy = Math.sign(b.y - a.y);
    let x = a.x;
    let y = a.y;
    while (x !== b.x || y !== b.y) {
      x += dx;
      y += dy;
      cells.push({ x, y });
    }
  }
  return cells;
}

export function geometryProblems(g: CellGeometry): string[] {
  const problems: string[] = [];
  const byId = new Map(g.boxes.map((b) => [b.id, b]));
  for (const [i, a] of g.boxes.entries()) {
    if (![a.x, a.y, a.width, a.height].every(Number.isInteger)) problems.push(`${a.id} not whole`);
    if (a.x < 0 || a.y < 0 || a.x + a.width > g.width || a.y + a.height > g.height)
      problems.push(`${a.id} off canvas`);
    for (const b of g.boxes.slice(i + 1)) {
      const apart =
        a.x + a.width <= b.x ||
        b.x + b.width <= a.x ||
        a.y + a.height <= b.y ||
        b.y + b.height <= a.y;
      if (!apart) problems.push(`${a.id} overlaps ${b.id}`);
    }
  }
  for (const e of g.edges) {
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    if (!from || !to) {
      problems.push(`${e.id} joins unknown nodes`);
      continue;
    }
    const p = e.points;
    if (p.length < 2) {
      problems.push(`${e.id} has ${p.length} points`);
      continue;
    }
    for (let i = 1; i < p.length; i++) {
      const a = p[i - 1]!;
      const b = p[i]!;
      if (!Number.isInteger(b.x) || !Number.isInteger(b.y)) problems.push(`${e.id} not whole`);
      if ((a.x === b.x) === (a.y === b.y)) problems.push(`${e.id} leg ${i} is not orthogonal`);
    }
    if (!onBorder(from, p[0]!)) problems.push(`${e.id} does not start on ${e.from}'s border`);
    if (!onBorder(to, p[p.length - 1]!)) problems.push(`${e.id} does not end on ${e.to}'s border`);
    const cells = cellsOf(p);
    const arrow = cells[cells.length - 2]!;
    if (inside(to, arrow) || inside(from, arrow)) problems.push(`${e.id} arrow inside a box`);
    for (const c of cells.slice(1, -1))
      if (inside(from, c) || inside(to, c)) {
        problems.push(`${e.id} runs through an end box at ${c.x},${c.y}`);
        break;
      }
    for (const c of cells)
      if (c.x < 0 || c.y < 0 || c.x >= g.width || c.y >= g.height) {
        problems.push(`${e.id} off canvas`);
        break;
      }
  }
  return problems;
}
