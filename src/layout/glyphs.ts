/**
 * Every character the canvas draws, in a Unicode set and an ASCII set. Each one is a single
 * terminal column (test/layout/glyphs.test.ts checks them with string-width). Shapes carry the
 * meaning so a canvas without colour reads the same: the selected box has double lines, marked
 * boxes heavy lines, and every kind its own letter or symbol.
 */

/** Line directions out of a cell, OR-ed together where routes meet or cross. */
export const UP = 1;
export const DOWN = 2;
export const LEFT = 4;
export const RIGHT = 8;

export type GlyphSet = "unicode" | "ascii";
export type BoxStyle = "plain" | "selected" | "marked";

export interface BoxChars {
  topLeft: string;
  topRight: string;
  bottomLeft: string;
  bottomRight: string;
  horizontal: string;
  vertical: string;
  /** A border with a route leaving it: down from the bottom, up from the top, out to the sides. */
  teeDown: string;
  teeUp: string;
  teeLeft: string;
  teeRight: string;
  /** The two ends of a one-line (compact) node. */
  open: string;
  close: string;
}

export interface Glyphs {
  lines: readonly string[]; // indexed by direction mask
  /** The same for an edge not taken (a skipped branch): dashed, so it reads without colour. */
  skippedLines: readonly string[];
  arrows: { up: string; down: string; left: string; right: string };
  boxes: Record<BoxStyle, BoxChars>;
  kinds: Readonly<Record<string, string>>;
  unknownKind: string;
  ellipsis: string;
  minimap: { node: string; empty: string; viewNode: string; viewEmpty: string };
}

function lineTable(
  vertical: string,
  horizontal: string,
  corner: (mask: number) => string,
): string[] {
  const table: string[] = [];
  for (let mask = 0; mask < 16; mask++) {
    const v = mask & (UP | DOWN);
    const h = mask & (LEFT | RIGHT);
    table.push(mask === 0 ? " " : h === 0 ? vertical : v === 0 ? horizontal : corner(mask));
  }
  return table;
}

const UNICODE_CORNERS: Record<number, string> = {
  [DOWN | RIGHT]: "┌",
  [DOWN | LEFT]: "┐",
  [UP | RIGHT]: "└",
  [UP | LEFT]: "┘",
  [UP | DOWN | RIGHT]: "├",
  [UP | DOWN | LEFT]: "┤",
  [LEFT | RIGHT | DOWN]: "┬",
  [LEFT | RIGHT | UP]: "┴",
  [UP | DOWN | LEFT | RIGHT]: "┼",
};

const box = (chars: string, open: string, close: string): BoxChars => {
  const [tl, tr, bl, br, h, v, td, tu, tlft, trgt] = [...chars];
  return {
    topLeft: tl!,
    topRight: tr!,
    bottomLeft: bl!,
    bottomRight: br!,
    horizontal: h!,
    vertical: v!,
    teeDown: td!,
    teeUp: tu!,
    teeLeft: tlft!,
    teeRight: trgt!,
    open,
    close,
  };
};

export const UNICODE: Glyphs = {
  lines: lineTable("│", "─", (mask) => UNICODE_CORNERS[mask]!),
  skippedLines: lineTable("┆", "┄", (mask) => UNICODE_CORNERS[mask]!),
  arrows: { up: "▲", down: "▼", left: "◄", right: "►" },
  boxes: {
    plain: box("┌┐└┘─│┬┴┤├", "[", "]"),
    selected: box("╔╗╚╝═║╤╧╢╟", "▐", "▌"),
    marked: box("┏┓┗┛━┃┯┷┨┠", "{", "}"),
  },
  kinds: {
    task: "T",
    decision: "D",
    exclusive: "◇",
    parallel: "◆",
    delay: "◷",
    compensation: "↺",
    subworkflow: "⧉",
  },
  unknownKind: "?",
  ellipsis: "…",
  minimap: { node: "■", empty: " ", viewNode: "█", viewEmpty: "░" },
};

export const ASCII: Glyphs = {
  lines: lineTable("|", "-", () => "+"),
  skippedLines: lineTable("'", ".", () => "+"),
  arrows: { up: "^", down: "v", left: "<", right: ">" },
  boxes: {
    plain: box("++++-|++++", "[", "]"),
    selected: box("####=#####", "#", "#"),
    marked: box("****~:****", "{", "}"),
  },
  kinds: {
    task: "T",
    decision: "D",
    exclusive: "X",
    parallel: "P",
    delay: "W",
    compensation: "C",
    subworkflow: "S",
  },
  unknownKind: "?",
  ellipsis: "~",
  minimap: { node: "o", empty: " ", viewNode: "#", viewEmpty: "." },
};

export const glyphsFor = (set: GlyphSet): Glyphs => (set === "ascii" ? ASCII : UNICODE);
