/**
 * Text measured in terminal columns: labels may hold wide (CJK, emoji) or zero-width characters,
 * and every row the rasteriser returns must be exactly as wide as the viewport.
 */
import stringWidth from "string-width";

/** One user-perceived character and the columns it takes (1 or 2). */
export interface CellGlyph {
  text: string;
  width: 1 | 2;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Splits text into drawable glyphs; control characters become spaces, zero-width ones vanish. */
export function toGlyphs(text: string): CellGlyph[] {
  const glyphs: CellGlyph[] = [];
  if (PRINTABLE_ASCII.test(text)) {
    for (const char of text) glyphs.push({ text: char, width: 1 });
    return glyphs;
  }
  for (const { segment } of segmenter.segment(text.replace(CONTROL, " "))) {
    if (segment.length === 1 && segment.charCodeAt(0) < 0x7f) {
      glyphs.push({ text: segment, width: 1 });
      continue;
    }
    const width = stringWidth(segment);
    if (width === 0) continue;
    glyphs.push({ text: segment, width: width >= 2 ? 2 : 1 });
  }
  return glyphs;
}

export const glyphsWidth = (glyphs: readonly CellGlyph[]): number =>
  glyphs.reduce((sum, g) => sum + g.width, 0);

export const textWidth = (text: string): number =>
  PRINTABLE_ASCII.test(text) ? text.length : glyphsWidth(toGlyphs(text));

/** Cuts glyphs to at most `width` columns, ending with `ellipsis` (one column) when cut. */
export function fitGlyphs(glyphs: CellGlyph[], width: number, ellipsis: string): CellGlyph[] {
  if (glyphsWidth(glyphs) <= width) return glyphs;
  if (width <= 0) return [];
  const kept: CellGlyph[] = [];
  let used = 0;
  for (const g of glyphs) {
    if (used + g.width > width - 1) break;
    kept.push(g);
    used += g.width;
  }
  kept.push({ text: ellipsis, width: 1 });
  return kept;
}
