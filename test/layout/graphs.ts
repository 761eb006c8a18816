/** Small graphs and random inputs shared by the layout tests. */
import fc from "fast-check";
import type { LayoutInput, LayoutOptions } from "../../src/layout/index.js";

const KINDS = ["task", "decision", "exclusive", "parallel", "delay", "compensation", "subworkflow"];

/** start → check → (split | wait) → end, with true/false labels on the decision's edges. */
export const diamond: LayoutInput = {
  nodes: [
    { id: "start", kind: "task", label: "start" },
    { id: "check", kind: "decision", label: "big?" },
    { id: "split", kind: "parallel", label: "split" },
    { id: "wait", kind: "delay", label: "wait" },
    { id: "end", kind: "subworkflow", label: "end" },
  ],
  edges: [
    { id: "a", from: "start", to: "check" },
    { id: "b", from: "check", to: "split", label: "true" },
    { id: "c", from: "check", to: "wait", label: "false" },
    { id: "d", from: "split", to: "end" },
    { id: "e", from: "wait", to: "end" },
  ],
};

export const allOptions: LayoutOptions[] = [
  { direction: "down", density: "full" },
  { direction: "down", density: "compact" },
  { direction: "right", density: "full" },
  { direction: "right", density: "compact" },
];

export const optionsArb: fc.Arbitrary<LayoutOptions> = fc.constantFrom(...allOptions);

const labelArb = fc.oneof(
  fc.constantFrom("", "a", "fetch orders", "日本語のラベル", "emoji 🚀 run", "x".repeat(40)),
  fc.string({ maxLength: 12 }),
);

/**
 * Any graph an editor might hold for a moment: cycles, self-loops, edges to ids that do not
 * exist, repeated node ids, labels of any width.
 */
export const messyGraphArb: fc.Arbitrary<LayoutInput> = fc
  .integer({ min: 0, max: 14 })
  .chain((n) =>
    fc.record({
      nodes: fc.array(fc.record({ kind: fc.constantFrom(...KINDS, "mystery"), label: labelArb }), {
        minLength: n,
        maxLength: n,
      }),
      duplicate: fc.boolean(),
      edges: fc.array(
        fc.record({
          from: fc.integer({ min: 0, max: n + 1 }),
          to: fc.integer({ min: 0, max: n + 1 }),
          label: fc.option(fc.constantFrom("true", "false", "score > 0.5", "条件"), {
            nil: undefined,
          }),
        }),
        { maxLength: n * 2 },
      ),
    }),
  )
  .map(({ nodes, duplicate, edges }) => ({
    nodes: [
      ...nodes.map((n, i) => ({ id: `n${i}`, ...n })),
      ...(duplicate && nodes.length > 0 ? [{ id: "n0", kind: "task", label: "again" }] : []),
    ],
    edges: edges.map((e, i) => ({
      id: `e${i}`,
      from: `n${e.from}`,
      to: `n${e.to}`,
      ...(e.label === undefined ? {} : { label: e.label }),
    })),
  }));
