/**
 * The frame pipeline (Ink with weft's patch, then frame-writer.ts) against a headless terminal
 * emulator: after every step of a random sequence of frames, selection moves, pans, edits and
 * resizes, the screen that the writer's changed cells built is the screen the whole frame draws
 * on a cleared terminal, cell for cell, text and style.
 */
import { EventEmitter } from "node:events";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFrameWriter, diffRow, parseRow } from "../../src/tui/frame-writer.js";
import { drawWhole, type Emulator, emulator, feed, screenLines } from "../support/emulator.js";

/** A writer's output goes into `term`, as a terminal's stdout would carry it. */
function terminalOut(term: Emulator) {
  const written: string[] = [];
  return {
    written,
    write(data: string) {
      written.push(data);
      term.write(data);
      return true;
    },
  };
}

describe("a row's cells", () => {
  it("reads SGR state, wide characters and drops other escapes", () => {
    const row = parseRow("a\x1b[1;38;2;1;2;3mb字\x1b[22mc\x1b]8;;x\x07d\x1b[0m e");
    expect(row.chars).toEqual(["a", "b", "字", "", "c", "d", " ", "e"]);
    expect(row.styles).toEqual([
      "",
      "1;38;2;1;2;3",
      "1;38;2;1;2;3",
      "1;38;2;1;2;3",
      "38;2;1;2;3",
      "38;2;1;2;3",
      "",
      "",
    ]);
  });

  it("writes only the run that changed, after one cursor move", () => {
    const before = parseRow("hello world, all of it the same");
    const after = parseRow("hello WORLD, all of it the same");
    expect(diffRow(4, before, after)).toBe("\x1b[5;7HWORLD");
  });

  it("erases what is past a shorter row's end", () => {
    expect(diffRow(0, parseRow("abcdef"), parseRow("abc"))).toBe("\x1b[1;4H\x1b[K");
  });

  it("rewrites a wide character whole when only its right half changes", () => {
    expect(diffRow(0, parseRow("a字b"), parseRow("aa b"))).toBe("\x1b[1;2Ha ");
  });
});

// Rows of random cells: plain and styled, blanks, box drawing, wide characters.
const CHARS = ["a", "b", "Z", " ", " ", "─", "│", "╔", "字", "✓", "…"];
const STYLES = ["", "", "1", "31", "1;32", "38;2;10;200;30", "48;5;200", "7", "2;4"];
const arbRow = fc
  .array(fc.tuple(fc.constantFrom(...CHARS), fc.constantFrom(...STYLES)), { maxLength: 60 })
  .map((cells) => cells);
const arbStep = fc.oneof(
  { weight: 6, arbitrary: fc.array(arbRow, { maxLength: 24 }).map((rows) => ({ rows })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 10, max: 70 }), fc.integer({ min: 5, max: 26 }))
      .map(([columns, lines]) => ({ resize: { columns, lines } })),
  },
  { weight: 1, arbitrary: fc.constant({ clear: true }) },
);

/** Cells as Ink writes a row: SGR runs, cut to `columns`, blanks at the end trimmed. */
function rowText(cells: [string, string][], columns: number): string {
  let text = "";
  let width = 0;
  for (const [char, style] of cells) {
    const w = char === "字" ? 2 : 1;
    if (width + w > columns) break;
    width += w;
    text += style ? `\x1b[${style}m${char}\x1b[0m` : char;
  }
  return text.replace(/ +$/, "");
}

describe("the frame writer against a terminal emulator", () => {
  it("builds, from changed cells only, the screen each whole frame draws", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbStep, { minLength: 1, maxLength: 25 }), async (steps) => {
        let columns = 40;
        let lines = 20;
        const shown = emulator(columns, lines);
        const out = terminalOut(shown);
        const resize: (() => void)[] = [];
        const writer = createFrameWriter({
          write: out.write,
          on: ((event: string, listener: () => void) => {
            if (event === "resize") resize.push(listener);
          }) as never,
        });
        let cells: [string, string][][] = [];
        for (const step of steps) {
          if ("resize" in step) {
            ({ columns, lines } = step.resize);
            shown.resize(columns, lines);
            for (const r of resize) r();
          } else if ("clear" in step) writer.clear();
          else cells = step.rows;
          // As Ink does, the frame is laid out again at the new size, a row short of the screen.
          const rows = cells.slice(0, lines - 1).map((r) => rowText(r, columns));
          const frame = `${rows.join("\n")}\n`;
          writer(frame);
          const whole = emulator(columns, lines);
          await drawWhole(whole, frame);
          await feed(shown, "");
          expect(screenLines(shown)).toEqual(screenLines(whole));
        }
      }),
      { numRuns: 150 },
    );
  });

  it("writes nothing when the frame did not change, and wraps each write in mode 2026", async () => {
    const out = terminalOut(emulator(20, 5));
    const writer = createFrameWriter({ write: out.write });
    expect(writer("ab\ncd\n")).toBe(true);
    expect(writer("ab\ncd\n")).toBe(false);
    writer("ab\nce\n");
    expect(out.written).toHaveLength(2);
    expect(out.written[1]).toBe("\x1b[?2026h\x1b[2;2He\x1b[?2026l");
    const plain = terminalOut(emulator(20, 5));
    createFrameWriter({ write: plain.write }, { synchronized: false })("x\n");
    expect(plain.written[0]).not.toContain("2026");
  });
});

/**
 * The real pipeline: Ink (patched) renders the canvas from the layout's rasteriser, a panel with
 * a border and a footer, in the dark theme's colours, through the frame writer into an
 * emulator. The reference for each step is the same tree rendered by a fresh Ink instance
 * (nothing kept from an earlier frame) and drawn whole.
 */
describe("Ink and the frame writer", () => {
  // Ink draws nothing until exit when CI is set: it and everything importing it load after this.
  const ci = process.env.CI;
  let ink: typeof import("ink");
  let scene: typeof import("./frame-scene.js");
  beforeAll(async () => {
    process.env.CI = "0";
    ink = await import("ink");
    scene = await import("./frame-scene.js");
    await scene.colourOn();
  });
  afterAll(() => {
    process.env.CI = ci;
  });

  it("keeps the emulator's screen equal to the whole frame through moves, edits and resizes", async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    let columns = 120;
    let lines = 30;
    const shown = emulator(columns, lines);
    const stdout = Object.assign(new EventEmitter(), {
      isTTY: true,
      columns,
      rows: lines,
      bytes: 0,
      write(data: string) {
        stdout.bytes += data.length;
        // A terminal's line discipline turns \n into \r\n (onlcr): Ink's own whole-frame path needs it.
        shown.write(data.replace(/\n/g, "\r\n"));
        return true;
      },
    });
    const state = scene.initialScene(columns, lines);
    const app = ink.render(scene.sceneElement(state), {
      stdout: stdout as never,
      stdin: scene.quietStdin() as never,
      patchConsole: false,
      exitOnCtrlC: false,
      maxFps: 1000,
      createLog: (s) => createFrameWriter(s),
    });
    /** What drawing every step's frame whole would have written. */
    let wholeBytes = 0;
    let random = 42;
    const next = (n: number) => {
      random = (random * 1103515245 + 12345) & 0x7fffffff;
      return random % n;
    };
    try {
      for (let step = 0; step < 120; step++) {
        const roll = next(11);
        if (roll < 4) scene.moveSelection(state, next(1000));
        else if (roll < 6) scene.pan(state, next(9) - 4, next(7) - 3);
        else if (roll < 8) scene.edit(state, next(1000));
        else if (roll < 9) scene.widen(state, next(1000));
        else {
          columns = 40 + next(160);
          lines = 12 + next(39);
          shown.resize(columns, lines);
          Object.assign(stdout, { columns, rows: lines });
          state.width = columns;
          state.height = lines - 1;
          stdout.emit("resize");
        }
        app.rerender(scene.sceneElement(state));
        await sleep(4);
        await feed(shown, "");
        const whole = emulator(columns, lines);
        const frame = scene.renderWhole(ink, state, columns);
        wholeBytes += frame.length;
        await drawWhole(whole, frame);
        expect(screenLines(shown), `step ${step}`).toEqual(screenLines(whole));
      }
    } finally {
      app.unmount();
    }
    // Not the whole screen each time, though a resize (one step in eleven) draws it whole.
    expect(stdout.bytes).toBeLessThan(wholeBytes / 2);
  });
});
