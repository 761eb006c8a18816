import { describe, expect, it } from "vitest";
import { type LayoutInput, structureKey } from "../../src/layout/index.js";
import { diamond } from "./graphs.js";

const down = { direction: "down", density: "full" } as const;

/** The designer builds layout input from richer nodes; extra fields must not matter. */
const withProperties = (input: LayoutInput, timeout: string): LayoutInput => ({
  nodes: input.nodes.map((n) => ({ ...n, timeout, retries: { max: 3 } })),
  edges: input.edges.map((e) => ({ ...e, default: false })),
});

describe("structureKey", () => {
  it("ignores properties that do not change the drawing", () => {
    expect(structureKey(withProperties(diamond, "5m"), down)).toBe(structureKey(diamond, down));
    expect(structureKey(withProperties(diamond, "10m"), down)).toBe(structureKey(diamond, down));
  });

  it("changes with anything that does: labels, kinds, ids, edges, edge labels, order, options", () => {
    const variants: LayoutInput[] = [
      { ...diamond, nodes: diamond.nodes.map((n, i) => (i === 1 ? { ...n, label: "huge?" } : n)) },
      {
        ...diamond,
        nodes: diamond.nodes.map((n, i) => (i === 1 ? { ...n, kind: "exclusive" } : n)),
      },
      { ...diamond, nodes: diamond.nodes.map((n, i) => (i === 4 ? { ...n, id: "finish" } : n)) },
      { ...diamond, edges: diamond.edges.slice(1) },
      { ...diamond, edges: diamond.edges.map((e) => ({ ...e, label: undefined })) },
      { ...diamond, nodes: [...diamond.nodes].reverse() },
    ];
    const keys = new Set([
      structureKey(diamond, down),
      ...variants.map((v) => structureKey(v, down)),
      structureKey(diamond, { direction: "right", density: "full" }),
      structureKey(diamond, { direction: "down", density: "compact" }),
    ]);
    expect(keys.size).toBe(variants.length + 3);
  });

  it("cannot be fooled by text that looks like a boundary between fields", () => {
    const key = (id: string, kind: string, label: string) =>
      structureKey({ nodes: [{ id, kind, label }], edges: [] }, down);
    expect(key("a", "task", "b")).not.toBe(key('a","task', "b", ""));
    expect(key("a", "b", "c")).not.toBe(key("a\u0000b", "c", ""));
  });
});
