/**
 * How one node looks: a three-row box with the kind glyph and label, or a one-line `[T label]`.
 * Selected boxes have double lines, marked ones heavy lines, so both show without colour; a
 * route leaving through a border turns that border cell into a tee.
 */
import type { CellGrid } from "./cell-grid.js";
import { fitGlyphs, toGlyphs } from "./cell-text.js";
import { type BoxChars, type BoxStyle, DOWN, type Glyphs, LEFT, RIGHT, UP } from "./glyphs.js";
import { labelRoom } from "./node-size.js";
import type { RasterStyle } from "./raster-style.js";
import type { Box } from "./types.js";

const KIND_TOKENS: Record<string, string> = {
  task: "node.task",
  decision: "node.gateway",
  exclusive: "node.gateway",
  parallel: "node.gateway",
  delay: "node.delay",
  compensation: "node.compensation",
  subworkflow: "node.subworkflow",
};

export const kindToken = (kind: string): string => KIND_TOKENS[kind] ?? "node.label";

const COMPACT_BADGE_COLUMNS = 12;

interface Look {
  chars: BoxChars;
  glyph: string;
  borderToken: string;
  glyphToken: string;
  badge: string | undefined;
  badgeToken: string;
  ellipsis: string;
}

function lookOf(box: Box, glyphs: Glyphs, style: RasterStyle): Look {
  const shape: BoxStyle =
    box.id === style.selected ? "selected" : style.marked?.has(box.id) ? "marked" : "plain";
  const statusToken = style.nodeToken?.(box.id);
  return {
    chars: glyphs.boxes[shape],
    glyph: glyphs.kinds[box.kind] ?? glyphs.unknownKind,
    borderToken: shape !== "plain" ? "node.selected" : (statusToken ?? "node.border"),
    glyphToken: statusToken ?? kindToken(box.kind),
    badge: style.nodeBadge?.(box.id),
    badgeToken: statusToken ?? "text.secondary",
    ellipsis: glyphs.ellipsis,
  };
}

export function drawBox(grid: CellGrid, box: Box, glyphs: Glyphs, style: RasterStyle): void {
  const look = lookOf(box, glyphs, style);
  if (box.height >= 3) drawFullBox(grid, box, look);
  else drawCompactBox(grid, box, look);
}

function drawCompactBox(grid: CellGrid, box: Box, look: Look): void {
  const { x, y, width } = box;
  const label = fitGlyphs(toGlyphs(box.label), labelRoom(width, "compact"), look.ellipsis);
  grid.put(x, y, look.chars.open, look.borderToken);
  grid.put(x + 1, y, look.glyph, look.glyphToken);
  grid.put(x + 2, y, " ", "");
  const end = grid.write(x + 3, y, label, "node.label");
  for (let cx = end; cx < x + width - 1; cx++) grid.put(cx, y, " ", "");
  grid.put(x + width - 1, y, look.chars.close, look.borderToken);
  // No room inside a one-line node: the badge follows it, where a box drawn later may cover it.
  if (look.badge) {
    const badge = fitGlyphs(toGlyphs(look.badge), COMPACT_BADGE_COLUMNS, look.ellipsis);
    grid.write(x + width, y, badge, look.badgeToken);
  }
}

function drawFullBox(grid: CellGrid, box: Box, look: Look): void {
  const { x, y, width, chars } = { ...box, chars: look.chars };
  const bottom = y + box.height - 1;
  const right = x + width - 1;
  const put = (cx: number, cy: number, char: string) => grid.put(cx, cy, char, look.borderToken);
  put(x, y, chars.topLeft);
  put(right, y, chars.topRight);
  put(x, bottom, chars.bottomLeft);
  put(right, bottom, chars.bottomRight);
  for (let cx = x + 1; cx < right; cx++) {
    put(cx, y, leaves(grid, cx, y, UP) ? chars.teeUp : chars.horizontal);
    put(cx, bottom, leaves(grid, cx, bottom, DOWN) ? chars.teeDown : chars.horizontal);
  }
  for (let cy = y + 1; cy < bottom; cy++) {
    put(x, cy, leaves(grid, x, cy, LEFT) ? chars.teeLeft : chars.vertical);
    put(right, cy, leaves(grid, right, cy, RIGHT) ? chars.teeRight : chars.vertical);
    for (let cx = x + 1; cx < right; cx++) grid.put(cx, cy, " ", "");
  }
  const middle = y + Math.floor((box.height - 1) / 2);
  const label = fitGlyphs(toGlyphs(box.label), labelRoom(width, "full"), look.ellipsis);
  grid.put(x + 2, middle, look.glyph, look.glyphToken);
  grid.write(x + 4, middle, label, "node.label");
  if (look.badge) {
    // On the top border, right-aligned, one border cell left before the corner.
    const badge = fitGlyphs(toGlyphs(look.badge), Math.max(0, width - 4), look.ellipsis);
    const badgeWidth = badge.reduce((sum, g) => sum + g.width, 0);
    grid.write(right - 1 - badgeWidth, y, badge, look.badgeToken);
  }
}

/** Whether a route leaves through this border cell in the given direction. */
function leaves(grid: CellGrid, cx: number, cy: number, outward: number): boolean {
  const i = grid.at(cx, cy);
  return i >= 0 && (grid.lines[i]! & outward) !== 0;
}
