/**
 * The terminal side of a frame: a double buffer of cells, as tcell and ratatui keep. Ink hands
 * over each frame whole (its rows of styled text); the writer compares it with the frame on
 * screen and writes only the cells that changed, each run after a cursor move, the whole of it
 * inside one synchronized update (DEC mode 2026) so that no frame shows half drawn. A terminal
 * without mode 2026 ignores it.
 *
 * It draws at absolute positions from the top-left corner, so it is for a full screen (the
 * alternate screen that enterFullScreen switches to). After a resize, or when something else
 * wrote to the terminal (`clear()`), the next frame is drawn whole on a cleared screen.
 *
 * Use it as Ink's writer: `render(<App />, { createLog: (stdout) => createFrameWriter(stdout) })`.
 */
import type { FrameLog } from "ink";
import stringWidth from "string-width";

export const BEGIN_SYNC = "\x1b[?2026h";
export const END_SYNC = "\x1b[?2026l";
const RESET = "\x1b[0m";
const CLEAR_SCREEN = "\x1b[H\x1b[2J";
const ERASE_TO_END = "\x1b[K";

/** One row of the screen: per column its text ('' for the right half of a wide character) and SGR. */
export interface CellRow {
  readonly chars: readonly string[];
  readonly styles: readonly string[];
}

const EMPTY_ROW: CellRow = { chars: [], styles: [] };

/** The SGR state while reading a row: each attribute by the parameter that set it. */
interface Pen {
  fg: string;
  bg: string;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  blink: boolean;
  inverse: boolean;
  hidden: boolean;
  strike: boolean;
}

const plainPen = (): Pen => ({
  fg: "",
  bg: "",
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  blink: false,
  inverse: false,
  hidden: false,
  strike: false,
});

/**
 * What a blank drawn with this pen shows: only a background, inverse, underline or strike-through;
 * a colour or weight of the text alone shows nothing, so such a blank is a plain one.
 */
function blankParams(p: Pen): string {
  return p.bg || p.inverse || p.underline || p.strike ? penParams(p) : "";
}

/** The pen as the parameters of one SGR sequence that sets it from a reset; '' is the default. */
function penParams(p: Pen): string {
  const parts: string[] = [];
  if (p.bold) parts.push("1");
  if (p.dim) parts.push("2");
  if (p.italic) parts.push("3");
  if (p.underline) parts.push("4");
  if (p.blink) parts.push("5");
  if (p.inverse) parts.push("7");
  if (p.hidden) parts.push("8");
  if (p.strike) parts.push("9");
  if (p.fg) parts.push(p.fg);
  if (p.bg) parts.push(p.bg);
  return parts.join(";");
}

/** Applies the parameters of one SGR sequence (`1;38;2;10;20;30`) to the pen. */
function applySgr(pen: Pen, params: string): void {
  const codes = params === "" ? ["0"] : params.split(/[;:]/);
  for (let i = 0; i < codes.length; i++) {
    const code = Number(codes[i] || "0");
    if (code === 38 || code === 48 || code === 58) {
      // Extended colour: 5;n or 2;r;g;b.
      const mode = codes[i + 1];
      const take = mode === "5" ? 2 : mode === "2" ? 4 : 1;
      const value = [String(code), ...codes.slice(i + 1, i + 1 + take)].join(";");
      if (code === 38) pen.fg = value;
      else if (code === 48) pen.bg = value;
      i += take;
      continue;
    }
    if (code === 0) Object.assign(pen, plainPen());
    else if (code === 1) pen.bold = true;
    else if (code === 2) pen.dim = true;
    else if (code === 3) pen.italic = true;
    else if (code === 4) pen.underline = true;
    else if (code === 5) pen.blink = true;
    else if (code === 7) pen.inverse = true;
    else if (code === 8) pen.hidden = true;
    else if (code === 9) pen.strike = true;
    else if (code === 22) {
      pen.bold = false;
      pen.dim = false;
    } else if (code === 23) pen.italic = false;
    else if (code === 24) pen.underline = false;
    else if (code === 25) pen.blink = false;
    else if (code === 27) pen.inverse = false;
    else if (code === 28) pen.hidden = false;
    else if (code === 29) pen.strike = false;
    else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) pen.fg = String(code);
    else if (code === 39) pen.fg = "";
    else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) pen.bg = String(code);
    else if (code === 49) pen.bg = "";
  }
}

/** `compute(key)`, remembered in `cache`, which starts over once it holds 10,000 entries. */
function cached<V>(cache: Map<string, V>, key: string, compute: (key: string) => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute(key);
    if (cache.size > 10_000) cache.clear();
    cache.set(key, value);
  }
  return value;
}

const widths = new Map<string, number>();
/** Columns a character takes: 0 for a combining mark, 2 for a wide one. */
function charWidth(c: string): number {
  const code = c.charCodeAt(0);
  // ASCII, and box drawing and geometric shapes (all the canvas draws with): one column.
  if (c.length === 1 && ((code >= 0x20 && code < 0x7f) || (code >= 0x2500 && code <= 0x25fc)))
    return 1;
  return cached(widths, c, stringWidth);
}

/**
 * A row of styled text as cells. Understands what Ink writes: SGR sequences and printable
 * characters; other escape sequences (OSC, other CSI) take no cell and are dropped.
 */
export function parseRow(text: string): CellRow {
  if (text === "") return EMPTY_ROW;
  const chars: string[] = [];
  const styles: string[] = [];
  const pen = plainPen();
  let style = "";
  let blank = "";
  for (let i = 0; i < text.length; ) {
    const ch = text.charCodeAt(i);
    if (ch === 0x1b) {
      const next = text[i + 1];
      if (next === "[") {
        let j = i + 2;
        while (j < text.length && (text.charCodeAt(j) < 0x40 || text.charCodeAt(j) > 0x7e)) j++;
        if (text[j] === "m") {
          applySgr(pen, text.slice(i + 2, j));
          style = penParams(pen);
          blank = blankParams(pen);
        }
        i = j + 1;
      } else if (next === "]") {
        // OSC, ended by BEL or ST.
        let j = i + 2;
        while (
          j < text.length &&
          text[j] !== "\x07" &&
          !(text[j] === "\x1b" && text[j + 1] === "\\")
        )
          j++;
        i = text[j] === "\x07" ? j + 1 : j + 2;
      } else i += 2;
      continue;
    }
    // A surrogate pair is one character.
    const c = ch >= 0xd800 && ch <= 0xdbff ? text.slice(i, i + 2) : text[i]!;
    i += c.length;
    if (ch < 0x20 || ch === 0x7f) continue;
    const w = charWidth(c);
    if (w === 0) {
      if (chars.length > 0) {
        // A combining mark or joiner belongs to the character before it (the wide one's cell).
        let k = chars.length - 1;
        if (chars[k] === "" && k > 0) k--;
        chars[k] += c;
      }
      continue;
    }
    chars.push(c);
    styles.push(c === " " ? blank : style);
    if (w === 2) {
      chars.push("");
      styles.push(style);
    }
  }
  return { chars, styles };
}

const pens = new Map<string, Pen>();
/** The pen a style stands for (a style is the SGR parameters that set it from a reset). */
const penOf = (style: string): Pen =>
  cached(pens, style, () => {
    const pen = plainPen();
    applySgr(pen, style);
    return pen;
  });

const FLAGS = [
  ["bold", "1"],
  ["dim", "2"],
  ["italic", "3"],
  ["underline", "4"],
  ["blink", "5"],
  ["inverse", "7"],
  ["hidden", "8"],
  ["strike", "9"],
] as const;

const transitions = new Map<string, string>();
/**
 * The shortest SGR sequence from one style to another: only what differs, unless an attribute
 * must be turned off (bold and dim share their "off"), when it starts from a reset.
 */
function transition(from: string, to: string): string {
  if (from === to) return "";
  if (to === "") return RESET;
  return cached(transitions, `${from}|${to}`, () => {
    const a = penOf(from);
    const b = penOf(to);
    if (FLAGS.some(([flag]) => a[flag] && !b[flag])) return `\x1b[0;${to}m`;
    const parts: string[] = FLAGS.filter(([flag]) => b[flag] && !a[flag]).map(([, code]) => code);
    if (a.fg !== b.fg) parts.push(b.fg || "39");
    if (a.bg !== b.bg) parts.push(b.bg || "49");
    return `\x1b[${parts.join(";")}m`;
  });
}

/** Whether a plain blank looks the same drawn with this style (it shows no background, …). */
const blankSafe = (style: string) => style === "" || blankParams(penOf(style)) === "";

/** The terminal's pen while a frame is written: CUP keeps it, so it carries from run to run. */
export interface PenState {
  style: string;
}

/**
 * What turns row `y` (0-based) on screen from `before` into `after`: the changed runs, each after
 * a cursor move, runs closer than a cursor move's cost joined, long blanks erased (ECH) rather
 * than written, and the cells past the new row's end erased. `pen` is the terminal's pen before
 * and, on return, after.
 */
export function diffRow(
  y: number,
  before: CellRow,
  after: CellRow,
  pen: PenState = { style: "" },
): string {
  const n = Math.max(before.chars.length, after.chars.length);
  const same = (x: number) =>
    (before.chars[x] ?? " ") === (after.chars[x] ?? " ") &&
    (before.styles[x] ?? "") === (after.styles[x] ?? "");
  const to = (style: string) => {
    const seq = transition(pen.style, style);
    pen.style = style;
    return seq;
  };
  let out = "";
  let x = 0;
  while (x < n) {
    if (same(x)) {
      x++;
      continue;
    }
    // A run starts on a whole character, not on the right half of a wide one.
    let start = x;
    while (start > 0 && (after.chars[start] === "" || before.chars[start] === "")) start--;
    // Extend the run over changed cells and over gaps shorter than a cursor move.
    let end = x + 1;
    for (;;) {
      while (end < n && !same(end)) end++;
      let gap = end;
      while (gap < n && gap - end < 6 && same(gap)) gap++;
      if (gap < n && gap - end < 6 && !same(gap)) end = gap;
      else break;
    }
    while (end < after.chars.length && after.chars[end] === "") end++;
    out += `\x1b[${y + 1};${start + 1}H`;
    const drawTo = Math.min(end, after.chars.length);
    for (let c = start; c < drawTo; c++) {
      const style = after.styles[c]!;
      const char = after.chars[c]!;
      if (style === "" && char === " ") {
        // Plain blanks: past a few, erasing them (ECH) and stepping over (CUF) is shorter.
        let blanks = c + 1;
        while (blanks < drawTo && after.styles[blanks] === "" && after.chars[blanks] === " ")
          blanks++;
        if (blanks - c > 8) {
          out += `${to("")}\x1b[${blanks - c}X`;
          if (blanks < drawTo) out += `\x1b[${blanks - c}C`;
          c = blanks - 1;
          continue;
        }
        // A short one is written with the pen as it is, if a blank looks the same with it.
        if (blankSafe(pen.style)) {
          out += " ";
          continue;
        }
      }
      out += to(style) + char;
    }
    if (end > after.chars.length) {
      // The old row went on further: what is past the new one's end is blank.
      out += to("") + ERASE_TO_END;
      end = n;
    }
    x = end;
  }
  return out;
}

export interface FrameWriterOptions {
  /** Wrap each frame in DEC mode 2026 (synchronized output). Default on. */
  synchronized?: boolean;
}

/** What the writer needs of the terminal: somewhere to write, its size and resize events. */
export type FrameTerminal = Pick<NodeJS.WriteStream, "write"> &
  Partial<Pick<NodeJS.WriteStream, "on" | "columns" | "rows">>;

/**
 * The row as the terminal can show it, `columns` wide at most. A wider frame happens for a
 * moment after the terminal narrows (Ink draws once at the new size before the app re-renders);
 * written whole, its rows would wrap onto the ones below.
 */
function clipRow(row: CellRow, columns: number): CellRow {
  if (row.chars.length <= columns) return row;
  let end = columns;
  // A wide character cut in half is left out whole.
  if (row.chars[end] === "") end--;
  return { chars: row.chars.slice(0, end), styles: row.styles.slice(0, end) };
}

/** An Ink writer (see the `createLog` render option) that writes only what changed. */
export function createFrameWriter(
  stdout: FrameTerminal,
  { synchronized = true }: FrameWriterOptions = {},
): FrameLog {
  let shown: CellRow[] = [];
  let shownLines: string[] = [];
  let shownOutput = "";
  /** False when the screen no longer holds the last frame: the next one is drawn whole. */
  let valid = false;
  const invalidate = () => {
    valid = false;
  };
  stdout.on?.("resize", invalidate);

  const linesOf = (output: string) => {
    const lines = output.split("\n");
    if (output.endsWith("\n")) lines.pop();
    return lines;
  };

  const render = ((output: string) => {
    if (valid && output === shownOutput) return false;
    const lines = linesOf(output).slice(0, stdout.rows || undefined);
    const columns = stdout.columns || Number.POSITIVE_INFINITY;
    const pen: PenState = { style: "" };
    let out = valid ? "" : CLEAR_SCREEN;
    const rows: CellRow[] = [];
    const height = Math.max(lines.length, valid ? shownLines.length : 0);
    for (let y = 0; y < height; y++) {
      const line = lines[y] ?? "";
      if (valid && line === shownLines[y]) {
        rows.push(shown[y]!);
        continue;
      }
      const row = clipRow(parseRow(line), columns);
      rows.push(row);
      out += diffRow(y, valid ? (shown[y] ?? EMPTY_ROW) : EMPTY_ROW, row, pen);
    }
    if (pen.style !== "") out += RESET;
    shown = rows.slice(0, lines.length);
    shownLines = lines;
    shownOutput = output;
    valid = true;
    if (out !== "") stdout.write(synchronized ? BEGIN_SYNC + out + END_SYNC : out);
    return true;
  }) as FrameLog;

  render.clear = invalidate;
  render.done = () => {
    stdout.write(RESET);
    invalidate();
  };
  // Ink wrote this frame itself (after clearing the terminal): take it as what is on screen.
  render.sync = (output: string) => {
    shownLines = linesOf(output);
    shown = shownLines.map(parseRow);
    shownOutput = output;
    valid = true;
  };
  // weft keeps the terminal's cursor hidden (text fields draw their own).
  render.setCursorPosition = () => {};
  render.isCursorDirty = () => false;
  render.willRender = (output: string) => !valid || output !== shownOutput;
  render.synchronizes = true;
  return render;
}
