/**
 * How many cells a node and an edge label take. Layout and rasteriser share these rules: layout
 * reserves the room, the rasteriser fills exactly that room.
 *
 *   full (3 rows):  ┌─────────┐     compact (1 row):  [T fetch]
 *                   │ T fetch │
 *                   └─────────┘
 */
import { textWidth } from "./cell-text.js";
import type { Density } from "./types.js";

/** Longer labels are cut with an ellipsis so one verbose name cannot widen a whole layer. */
export const MAX_LABEL_COLUMNS = 24;
export const MAX_EDGE_LABEL_COLUMNS = 16;

/** Columns a full box spends on borders, padding, the kind glyph and its space. */
const FULL_CHROME = 6;
/** `[`, glyph, space, `]`. */
const COMPACT_CHROME = 4;

export const boxHeight = (density: Density): number => (density === "full" ? 3 : 1);

/**
 * Full boxes get an odd width so the centre column, where edges attach, is a real cell and
 * boxes centred under each other line up exactly.
 */
export function boxWidth(label: string, density: Density): number {
  const labelColumns = Math.min(textWidth(label), MAX_LABEL_COLUMNS);
  if (density === "compact") return labelColumns + COMPACT_CHROME;
  const width = labelColumns + FULL_CHROME;
  return width % 2 === 0 ? width + 1 : width;
}

/** Columns the label gets inside a box of this width. */
export const labelRoom = (width: number, density: Density): number =>
  width - (density === "full" ? FULL_CHROME : COMPACT_CHROME);

export const edgeLabelWidth = (text: string): number =>
  Math.min(textWidth(text), MAX_EDGE_LABEL_COLUMNS);
