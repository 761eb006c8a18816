/**
 * Draws the part of a geometry inside a viewport as rows of coloured segments. Colours are
 * semantic tokens the TUI resolves through its theme; shapes alone already tell selection,
 * marks and kinds apart. Only the tiles under the viewport are looked at.
 */
import { canvasIndex, forEachTileIn } from "./canvas-index.js";
import { CellGrid, type RasterRow } from "./cell-grid.js";
import { fitGlyphs, toGlyphs } from "./cell-text.js";
import { drawBox } from "./draw-box.js";
import { glyphsFor } from "./glyphs.js";
import { MAX_EDGE_LABEL_COLUMNS } from "./node-size.js";
import type { RasterStyle } from "./raster-style.js";
import type { CellGeometry, Viewport } from "./types.js";

export type { RasterRow, RasterSegment } from "./cell-grid.js";
export type { RasterStyle } from "./raster-style.js";

export function rasterise(
  geometry: CellGeometry,
  viewport: Viewport,
  style: RasterStyle,
): RasterRow[] {
  const width = Math.max(0, Math.floor(viewport.width));
  const height = Math.max(0, Math.floor(viewport.height));
  const grid = new CellGrid(Math.floor(viewport.x), Math.floor(viewport.y), width, height);
  if (width === 0 || height === 0) return grid.rows([]);
  const glyphs = glyphsFor(style.glyphs);
  const index = canvasIndex(geometry);

  const boxes = new Set<number>();
  const legs = new Set<number>();
  const arrows = new Set<number>();
  const labels = new Set<number>();
  const x1 = grid.x + width - 1;
  const y1 = grid.y + height - 1;
  forEachTileIn(index, grid.x, grid.y, x1, y1, (tile) => {
    for (const i of tile.boxes) boxes.add(i);
    for (const i of tile.legs) legs.add(i);
    for (const i of tile.arrows) arrows.add(i);
    for (const i of tile.labels) labels.add(i);
  });

  const edgeTokens = new Map<number, string>();
  const edgeToken = (edge: number) => {
    let token = edgeTokens.get(edge);
    if (token === undefined) {
      token = style.edgeToken?.(geometry.edges[edge]!.id) ?? "edge.line";
      edgeTokens.set(edge, token);
    }
    return token;
  };

  for (const i of legs) {
    const leg = index.legs[i]!;
    grid.addLeg(leg.x0, leg.y0, leg.x1, leg.y1, edgeToken(leg.edge));
  }
  for (const i of labels) {
    const label = geometry.edges[index.labelled[i]!]!.label!;
    const text = fitGlyphs(toGlyphs(label.text), MAX_EDGE_LABEL_COLUMNS, glyphs.ellipsis);
    grid.write(label.x, label.y, text, "edge.label");
  }
  for (const i of arrows) {
    const arrow = index.arrows[i]!;
    grid.put(arrow.x, arrow.y, glyphs.arrows[arrow.direction], edgeToken(arrow.edge));
  }
  // Boxes last, in geometry order, so they sit on top of anything routed beneath them.
  for (const i of [...boxes].sort((a, b) => a - b))
    drawBox(grid, geometry.boxes[i]!, glyphs, style);
  return grid.rows(glyphs.lines, glyphs.skippedLines);
}
