/**
 * The viewport as a grid of cells being drawn: route directions OR-ed per cell (turned into
 * line characters at the end), text written over them, and a token per cell. Rows come out as
 * runs of equal token, each row exactly as wide as the viewport even with wide characters.
 */
import type { CellGlyph } from "./cell-text.js";
import { DOWN, LEFT, RIGHT, UP } from "./glyphs.js";

export interface RasterSegment {
  text: string;
  token: string;
}

export interface RasterRow {
  /** Changes exactly when the row's text or tokens change, so rows can be memoised by it. */
  key: string;
  segments: RasterSegment[];
}

/** Second column of a wide character. */
const WIDE_TAIL = "";

/** Route tokens that win where routes overlap: a taken path stays visible over a skipped one. */
const routeRank = (token: string) =>
  token === "edge.taken" ? 2 : token === "edge.skipped" ? 0 : 1;

export class CellGrid {
  readonly lines: Uint8Array;
  private readonly lineToken: string[];
  private readonly lineRank: Int8Array;
  private readonly text: (string | null)[];
  private readonly token: string[];
  private readonly wide: Uint8Array;

  constructor(
    readonly x: number,
    readonly y: number,
    readonly width: number,
    readonly height: number,
  ) {
    const n = width * height;
    this.lines = new Uint8Array(n);
    this.lineToken = new Array<string>(n).fill("");
    this.lineRank = new Int8Array(n).fill(-1);
    this.text = new Array<string | null>(n).fill(null);
    this.token = new Array<string>(n).fill("");
    this.wide = new Uint8Array(n);
  }

  /** Offset of canvas cell (cx, cy) in the grid, or -1 when it is off screen. */
  at(cx: number, cy: number): number {
    const gx = cx - this.x;
    const gy = cy - this.y;
    if (gx < 0 || gy < 0 || gx >= this.width || gy >= this.height) return -1;
    return gy * this.width + gx;
  }

  /** Adds a straight route leg (inclusive ends), clipped to the viewport. */
  addLeg(x0: number, y0: number, x1: number, y1: number, token: string): void {
    const rank = routeRank(token);
    if (y0 === y1) {
      const lo = Math.max(Math.min(x0, x1), this.x);
      const hi = Math.min(Math.max(x0, x1), this.x + this.width - 1);
      const left = Math.min(x0, x1);
      const right = Math.max(x0, x1);
      for (let cx = lo; cx <= hi; cx++) {
        const i = this.at(cx, y0);
        if (i < 0) return;
        this.mark(i, (cx > left ? LEFT : 0) | (cx < right ? RIGHT : 0), token, rank);
      }
    } else {
      const lo = Math.max(Math.min(y0, y1), this.y);
      const hi = Math.min(Math.max(y0, y1), this.y + this.height - 1);
      const top = Math.min(y0, y1);
      const bottom = Math.max(y0, y1);
      for (let cy = lo; cy <= hi; cy++) {
        const i = this.at(x0, cy);
        if (i < 0) return;
        this.mark(i, (cy > top ? UP : 0) | (cy < bottom ? DOWN : 0), token, rank);
      }
    }
  }

  private mark(i: number, bits: number, token: string, rank: number): void {
    this.lines[i]! |= bits;
    if (rank >= this.lineRank[i]!) {
      this.lineRank[i] = rank;
      this.lineToken[i] = token;
    }
  }

  /** Writes one single-column character over whatever is there. */
  put(cx: number, cy: number, char: string, token: string): void {
    const i = this.at(cx, cy);
    if (i < 0) return;
    this.text[i] = char;
    this.token[i] = token;
    this.wide[i] = 0;
  }

  /** Writes glyphs from (cx, cy) rightwards; returns the column after the last one. */
  write(cx: number, cy: number, glyphs: readonly CellGlyph[], token: string): number {
    let x = cx;
    for (const g of glyphs) {
      if (g.width === 1) this.put(x, cy, g.text, token);
      else {
        const i = this.at(x, cy);
        const tail = this.at(x + 1, cy);
        if (i >= 0 && tail >= 0) {
          this.text[i] = g.text;
          this.token[i] = token;
          this.wide[i] = 1;
          this.text[tail] = WIDE_TAIL;
          this.token[tail] = token;
          this.wide[tail] = 0;
        } else {
          // Half of a wide character would show: draw blanks instead.
          this.put(x, cy, " ", token);
          this.put(x + 1, cy, " ", token);
        }
      }
      x += g.width;
    }
    return x;
  }

  /**
   * Cuts the grid into rows of segments; `lineChars` maps a direction mask to a character, and
   * `skippedChars` does for lines whose token is `edge.skipped`.
   */
  rows(lineChars: readonly string[], skippedChars: readonly string[] = lineChars): RasterRow[] {
    const rows: RasterRow[] = [];
    for (let gy = 0; gy < this.height; gy++) {
      const segments: RasterSegment[] = [];
      let runText = "";
      let runToken = "";
      const flush = () => {
        if (runText.length > 0) segments.push({ text: runText, token: runToken });
      };
      for (let gx = 0; gx < this.width; gx++) {
        const i = gy * this.width + gx;
        const written = this.text[i];
        let char: string;
        let token: string;
        if (written === null || written === undefined) {
          const mask = this.lines[i]!;
          token = mask === 0 ? "" : this.lineToken[i]!;
          char = (token === "edge.skipped" ? skippedChars : lineChars)[mask]!;
        } else if (written === WIDE_TAIL) {
          char = " "; // a tail whose head was overwritten
          token = this.token[i]!;
        } else if (this.wide[i] === 1) {
          const whole = gx + 1 < this.width && this.text[i + 1] === WIDE_TAIL;
          char = whole ? written : " ";
          token = this.token[i]!;
          if (whole) gx++;
        } else {
          char = written;
          token = this.token[i]!;
        }
        if (token !== runToken) {
          flush();
          runText = "";
          runToken = token;
        }
        runText += char;
      }
      flush();
      rows.push({ key: segments.map((s) => `${s.token}\u0001${s.text}`).join("\u0002"), segments });
    }
    return rows;
  }
}
