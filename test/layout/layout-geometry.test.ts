import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateLayoutInput } from "../../bench/canvas-workload.js";
import { layoutWithElk, provisionalLayout } from "../../src/layout/index.js";
import { geometryProblems } from "./geometry-checks.js";
import { allOptions, diamond, messyGraphArb, optionsArb } from "./graphs.js";

const cyclicAndDangling = {
  nodes: [
    { id: "a", kind: "task", label: "a" },
    { id: "b", kind: "task", label: "b" },
    { id: "c", kind: "exclusive", label: "c" },
  ],
  edges: [
    { id: "ab", from: "a", to: "b" },
    { id: "bc", from: "b", to: "c" },
    { id: "ca", from: "c", to: "a", label: "retry" },
    { id: "cc", from: "c", to: "c" },
    { id: "dangling", from: "c", to: "ghost" },
  ],
};

describe("provisionalLayout", () => {
  it("never overlaps boxes and routes every edge from border to border, whatever the graph", () => {
    fc.assert(
      fc.property(messyGraphArb, optionsArb, (input, options) => {
        expect(geometryProblems(provisionalLayout(input, options))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("draws cycles and self-loops, and leaves out edges to unknown nodes", () => {
    for (const options of allOptions) {
      const g = provisionalLayout(cyclicAndDangling, options);
      expect(g.edges.map((e) => e.id)).toEqual(["ab", "bc", "ca", "cc"]);
      expect(geometryProblems(g)).toEqual([]);
    }
  });

  it("lays out an empty graph as an empty canvas", () => {
    expect(provisionalLayout({ nodes: [], edges: [] }, allOptions[0]!)).toEqual({
      width: 0,
      height: 0,
      options: allOptions[0],
      boxes: [],
      edges: [],
    });
  });

  it("puts each layer below the one it depends on", () => {
    const g = provisionalLayout(diamond, { direction: "down", density: "full" });
    const y = Object.fromEntries(g.boxes.map((b) => [b.id, b.y]));
    expect(y.start).toBeLessThan(y.check!);
    expect(y.check).toBeLessThan(y.split!);
    expect(y.split).toBe(y.wait);
    expect(y.wait).toBeLessThan(y.end!);
  });
});

describe("layoutWithElk", () => {
  it("never overlaps boxes and routes every edge from border to border, whatever the graph", async () => {
    await fc.assert(
      fc.asyncProperty(messyGraphArb, optionsArb, async (input, options) => {
        expect(geometryProblems(await layoutWithElk(input, options))).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it("keeps those rules on a generated 300-node workflow, where edges are merged", async () => {
    for (const options of [allOptions[0]!, allOptions[3]!])
      expect(geometryProblems(await layoutWithElk(generateLayoutInput(300), options))).toEqual([]);
  });

  it("draws cycles and self-loops, and leaves out edges to unknown nodes", async () => {
    for (const options of allOptions) {
      const g = await layoutWithElk(cyclicAndDangling, options);
      expect(g.edges.map((e) => e.id)).toEqual(["ab", "bc", "ca", "cc"]);
      expect(geometryProblems(g)).toEqual([]);
    }
  });

  it("lays out an empty graph as an empty canvas", async () => {
    const g = await layoutWithElk({ nodes: [], edges: [] }, allOptions[2]!);
    expect(g).toMatchObject({ width: 0, height: 0, boxes: [], edges: [] });
  });

  it("returns plain JSON: the same value after a round trip through JSON", async () => {
    const g = await layoutWithElk(diamond, allOptions[0]!);
    expect(JSON.parse(JSON.stringify(g))).toEqual(g);
  });

  it("puts each edge label beside its own route", async () => {
    for (const options of allOptions) {
      const g = await layoutWithElk(diamond, options);
      for (const e of g.edges.filter((e) => e.label)) {
        const { x, y, text } = e.label!;
        const near = e.points.some((p, i) => {
          const q = e.points[i + 1];
          if (!q) return false;
          const [x0, x1] = [Math.min(p.x, q.x), Math.max(p.x, q.x)];
          const [y0, y1] = [Math.min(p.y, q.y), Math.max(p.y, q.y)];
          return x0 <= x + text.length && x1 >= x - 1 && y0 <= y + 1 && y1 >= y - 1;
        });
        expect(near, `${e.id} label at ${x},${y} (${options.direction})`).toBe(true);
      }
    }
  });
});
