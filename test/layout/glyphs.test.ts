import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { ASCII, UNICODE } from "../../src/layout/index.js";

/** Every string in a glyph table, however deeply nested. */
const allGlyphs = (value: unknown): string[] =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(allGlyphs)
      : typeof value === "object" && value !== null
        ? Object.values(value).flatMap(allGlyphs)
        : [];

describe("glyph tables", () => {
  it("holds only characters one terminal column wide", () => {
    for (const glyph of [...allGlyphs(UNICODE), ...allGlyphs(ASCII)]) {
      expect([...glyph], JSON.stringify(glyph)).toHaveLength(1);
      expect(stringWidth(glyph), JSON.stringify(glyph)).toBe(1);
    }
  });

  it("keeps the kind symbols, arrows and box pieces free of emoji (which some terminals draw wide)", () => {
    for (const glyph of allGlyphs(UNICODE))
      expect(/\p{Extended_Pictographic}/u.test(glyph), glyph).toBe(false);
  });

  it("uses only ASCII in the ASCII set", () => {
    for (const glyph of allGlyphs(ASCII)) expect(glyph.charCodeAt(0)).toBeLessThan(128);
  });

  it("gives every kind its own symbol in both sets", () => {
    for (const set of [UNICODE, ASCII]) {
      const symbols = Object.values(set.kinds);
      expect(new Set(symbols).size).toBe(symbols.length);
      expect(Object.keys(set.kinds).sort()).toEqual([
        "compensation",
        "decision",
        "delay",
        "exclusive",
        "parallel",
        "subworkflow",
        "task",
      ]);
    }
  });

  it("tells plain, selected and marked boxes apart by shape", () => {
    for (const set of [UNICODE, ASCII]) {
      const { plain, selected, marked } = set.boxes;
      expect(new Set([plain.topLeft, selected.topLeft, marked.topLeft]).size).toBe(3);
      expect(new Set([plain.open, selected.open, marked.open]).size).toBe(3);
    }
  });
});
