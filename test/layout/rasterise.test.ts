import fc from "fast-check";
import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import {
  type CellGeometry,
  layoutWithElk,
  provisionalLayout,
  type RasterRow,
  type RasterStyle,
  rasterise,
} from "../../src/layout/index.js";
import { diamond, messyGraphArb, optionsArb } from "./graphs.js";

const text = (rows: RasterRow[]) => rows.map((r) => r.segments.map((s) => s.text).join(""));
const whole = (g: CellGeometry) => ({ x: 0, y: 0, width: g.width, height: g.height });

/**
 * Drawn by hand: `a` (selected) feeds `d` along a route that `b`'s route to `c` (marked)
 * crosses; both routes carry labels, `d` a badge and a label of wide characters.
 */
const crossing: CellGeometry = {
  width: 28,
  height: 10,
  options: { direction: "down", density: "full" },
  boxes: [
    { id: "a", kind: "task", label: "fetch", x: 1, y: 0, width: 11, height: 3 },
    { id: "b", kind: "parallel", label: "split", x: 16, y: 0, width: 11, height: 3 },
    { id: "c", kind: "task", label: "save", x: 1, y: 7, width: 11, height: 3 },
    { id: "d", kind: "subworkflow", label: "日本", x: 16, y: 7, width: 11, height: 3 },
  ],
  edges: [
    {
      id: "e1",
      from: "a",
      to: "d",
      points: [
        { x: 6, y: 2 },
        { x: 6, y: 4 },
        { x: 21, y: 4 },
        { x: 21, y: 7 },
      ],
      label: { x: 22, y: 5, text: "true" },
    },
    {
      id: "e2",
      from: "b",
      to: "c",
      points: [
        { x: 18, y: 2 },
        { x: 18, y: 5 },
        { x: 8, y: 5 },
        { x: 8, y: 7 },
      ],
      label: { x: 10, y: 6, text: "false" },
    },
  ],
};

const crossingStyle = (glyphs: RasterStyle["glyphs"]): RasterStyle => ({
  glyphs,
  selected: "a",
  marked: new Set(["c"]),
  nodeBadge: (id) => (id === "d" ? "✓ 2×" : undefined),
  edgeToken: (id) => (id === "e1" ? "edge.taken" : "edge.skipped"),
});

describe("rasterise", () => {
  it("draws boxes, crossing routes, tees, arrows, labels and badges (unicode)", () => {
    expect(text(rasterise(crossing, whole(crossing), crossingStyle("unicode")))).toEqual([
      " ╔═════════╗    ┌─────────┐ ",
      " ║ T fetch ║    │ ◆ split │ ",
      " ╚════╤════╝    └─┬───────┘ ",
      "      │           ┆         ",
      "      └───────────┼──┐      ",
      "        ┌┄┄┄┄┄┄┄┄┄┘  │true  ",
      "        ▼ false      ▼      ",
      " ┏━━━━━━━━━┓    ┌────✓ 2×─┐ ",
      " ┃ T save  ┃    │ ⧉ 日本  │ ",
      " ┗━━━━━━━━━┛    └─────────┘ ",
    ]);
  });

  it("draws the same picture in ASCII, user text left as it is", () => {
    expect(text(rasterise(crossing, whole(crossing), crossingStyle("ascii")))).toEqual([
      " #=========#    +---------+ ",
      " # T fetch #    | P split | ",
      " #====#====#    +-+-------+ ",
      "      |           '         ",
      "      +-----------+--+      ",
      "        +.........+  |true  ",
      "        v false      v      ",
      " *~~~~~~~~~*    +----✓ 2×-+ ",
      " : T save  :    | S 日本  | ",
      " *~~~~~~~~~*    +---------+ ",
    ]);
  });

  it("colours by semantic token: kinds, selection, labels, and the taken route over the skipped", () => {
    const rows = rasterise(crossing, whole(crossing), crossingStyle("unicode"));
    expect(rows[1]!.segments).toEqual([
      { text: " ", token: "" },
      { text: "║", token: "node.selected" },
      { text: " ", token: "" },
      { text: "T", token: "node.task" },
      { text: " ", token: "" },
      { text: "fetch", token: "node.label" },
      { text: " ", token: "" },
      { text: "║", token: "node.selected" },
      { text: "    ", token: "" },
      { text: "│", token: "node.border" },
      { text: " ", token: "" },
      { text: "◆", token: "node.gateway" },
      { text: " ", token: "" },
      { text: "split", token: "node.label" },
      { text: " ", token: "" },
      { text: "│", token: "node.border" },
      { text: " ", token: "" },
    ]);
    // Row 4: the crossing cell belongs to the taken route.
    expect(rows[4]!.segments).toEqual([
      { text: "      ", token: "" },
      { text: "└───────────┼──┐", token: "edge.taken" },
      { text: "      ", token: "" },
    ]);
    expect(rows[6]!.segments.find((s) => s.text === "false")?.token).toBe("edge.label");
    expect(rows[7]!.segments.find((s) => s.text === "✓ 2×")?.token).toBe("text.secondary");
  });

  it("lets the run monitor colour whole nodes by status", () => {
    const rows = rasterise(crossing, whole(crossing), {
      glyphs: "unicode",
      nodeToken: (id) => (id === "b" ? "status.failed" : "status.succeeded"),
    });
    const tokens = new Set(rows[1]!.segments.map((s) => s.token));
    expect(tokens).toContain("status.failed");
    expect(tokens).toContain("status.succeeded");
    expect(tokens).not.toContain("node.border");
  });

  it("draws a small workflow laid out by elk as expected (unicode and ASCII)", async () => {
    const g = await layoutWithElk(diamond, { direction: "down", density: "compact" });
    expect(text(rasterise(g, whole(g), { glyphs: "unicode", selected: "check" }))).toEqual([
      "                       ",
      "  [T start]            ",
      "      │                ",
      "      │                ",
      "      ▼                ",
      "  ▐D big?▌             ",
      "     │  │              ",
      "     │  │              ",
      "     │  └───────┐      ",
      "     │          │      ",
      " true│          │false ",
      "     │          │      ",
      "     │          │      ",
      "     ▼          ▼      ",
      " [◆ split]  [◷ wait]   ",
      "     │          │      ",
      "     │          │      ",
      "     │ ┌────────┘      ",
      "     ▼ ▼               ",
      "   [⧉ end]             ",
      "                       ",
    ]);
    expect(text(rasterise(g, whole(g), { glyphs: "ascii", selected: "check" }))).toEqual([
      "                       ",
      "  [T start]            ",
      "      |                ",
      "      |                ",
      "      v                ",
      "  #D big?#             ",
      "     |  |              ",
      "     |  |              ",
      "     |  +-------+      ",
      "     |          |      ",
      " true|          |false ",
      "     |          |      ",
      "     |          |      ",
      "     v          v      ",
      " [P split]  [W wait]   ",
      "     |          |      ",
      "     |          |      ",
      "     | +--------+      ",
      "     v v               ",
      "   [S end]             ",
      "                       ",
    ]);
  });

  it("shows the selection and marks without colour", () => {
    for (const glyphs of ["unicode", "ascii"] as const) {
      const g = provisionalLayout(diamond, { direction: "right", density: "compact" });
      const plain = text(rasterise(g, whole(g), { glyphs }));
      const selected = text(rasterise(g, whole(g), { glyphs, selected: "wait" }));
      const marked = text(rasterise(g, whole(g), { glyphs, marked: new Set(["wait"]) }));
      expect(selected).not.toEqual(plain);
      expect(marked).not.toEqual(plain);
      expect(marked).not.toEqual(selected);
    }
  });

  it("returns exactly the viewport's rows, each exactly as wide, wherever the viewport is", () => {
    fc.assert(
      fc.property(
        messyGraphArb,
        optionsArb,
        fc.record({
          x: fc.integer({ min: -20, max: 120 }),
          y: fc.integer({ min: -20, max: 120 }),
          width: fc.integer({ min: 0, max: 90 }),
          height: fc.integer({ min: 0, max: 40 }),
        }),
        fc.constantFrom<RasterStyle["glyphs"]>("unicode", "ascii"),
        (input, options, viewport, glyphs) => {
          const g = provisionalLayout(input, options);
          const rows = rasterise(g, viewport, {
            glyphs,
            selected: input.nodes[0]?.id,
            nodeBadge: () => "✓ 2× 日",
          });
          expect(rows).toHaveLength(viewport.height);
          for (const row of rows) {
            expect(stringWidth(row.segments.map((s) => s.text).join(""))).toBe(viewport.width);
            for (const s of row.segments) expect(s.text).not.toBe("");
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("gives rows the same key exactly when their text and tokens are the same", () => {
    const g = provisionalLayout(diamond, { direction: "down", density: "full" });
    const viewport = { x: 0, y: 0, width: 30, height: g.height };
    const rows = [
      ...rasterise(g, viewport, { glyphs: "unicode" }),
      ...rasterise(g, viewport, { glyphs: "unicode", selected: "check" }),
      ...rasterise(g, viewport, { glyphs: "unicode", edgeToken: () => "edge.taken" }),
      ...rasterise(g, { ...viewport, x: 1 }, { glyphs: "unicode" }),
    ];
    const content = (r: RasterRow) => JSON.stringify(r.segments);
    for (const a of rows)
      for (const b of rows) expect(a.key === b.key).toBe(content(a) === content(b));
  });

  it("draws a viewport partly off the canvas as blank cells", () => {
    const rows = rasterise(crossing, { x: -3, y: -1, width: 8, height: 3 }, { glyphs: "ascii" });
    expect(text(rows)).toEqual(["        ", "    +---", "    | T "]);
  });
});
