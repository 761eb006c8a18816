/**
 * Where the viewport is on the whole canvas: a tiny map with the viewport shaded, and a line of
 * text like `x 40-120/300 · y 0-24/90`.
 */
import { type GlyphSet, glyphsFor } from "./glyphs.js";
import type { CellGeometry, Viewport } from "./types.js";

/**
 * `size.height` strings of `size.width` single-column characters. Each map cell stands for a
 * block of canvas cells and shows whether a node lies in it and whether it is on screen.
 */
export function minimap(
  geometry: CellGeometry,
  viewport: Viewport,
  size: { width: number; height: number },
  glyphs: GlyphSet = "unicode",
): string[] {
  const width = Math.max(0, Math.floor(size.width));
  const height = Math.max(0, Math.floor(size.height));
  const chars = glyphsFor(glyphs).minimap;
  const scaleX = Math.max(geometry.width, 1) / Math.max(width, 1);
  const scaleY = Math.max(geometry.height, 1) / Math.max(height, 1);
  const occupied = new Uint8Array(width * height);
  const toColumn = (x: number) => Math.min(width - 1, Math.max(0, Math.floor(x / scaleX)));
  const toRow = (y: number) => Math.min(height - 1, Math.max(0, Math.floor(y / scaleY)));
  if (width > 0 && height > 0)
    for (const b of geometry.boxes) {
      const c1 = toColumn(b.x + b.width - 1);
      const r1 = toRow(b.y + b.height - 1);
      for (let r = toRow(b.y); r <= r1; r++)
        for (let c = toColumn(b.x); c <= c1; c++) occupied[r * width + c] = 1;
    }
  const viewColumns = [toColumn(viewport.x), toColumn(viewport.x + viewport.width - 1)] as const;
  const viewRows = [toRow(viewport.y), toRow(viewport.y + viewport.height - 1)] as const;
  const rows: string[] = [];
  for (let r = 0; r < height; r++) {
    let row = "";
    for (let c = 0; c < width; c++) {
      const inView =
        c >= viewColumns[0] && c <= viewColumns[1] && r >= viewRows[0] && r <= viewRows[1];
      const node = occupied[r * width + c] === 1;
      row += inView ? (node ? chars.viewNode : chars.viewEmpty) : node ? chars.node : chars.empty;
    }
    rows.push(row);
  }
  return rows;
}

/** `x 40-120/300 · y 0-24/90`: the columns and rows on screen, of how many. */
export function positionText(geometry: CellGeometry, viewport: Viewport): string {
  const span = (start: number, size: number, total: number) => {
    const from = Math.max(0, Math.min(start, total));
    const to = Math.max(from, Math.min(start + size, total));
    return `${from}-${to}/${total}`;
  };
  return `x ${span(viewport.x, viewport.width, geometry.width)} · y ${span(viewport.y, viewport.height, geometry.height)}`;
}
