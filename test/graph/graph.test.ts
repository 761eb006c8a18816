import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ancestorsOf,
  buildGraph,
  findCycles,
  reachableFrom,
  roots,
  topologicalOrder,
} from "../../src/graph/index.js";

const g = (ids: string, edges: string) =>
  buildGraph(
    ids.split(" "),
    edges
      .split(" ")
      .filter(Boolean)
      .map((e) => {
        const [from, to] = e.split(">");
        return { from: from!, to: to! };
      }),
  );

describe("topologicalOrder", () => {
  it("orders a diamond and keeps declaration order among ready nodes", () => {
    expect(topologicalOrder(g("a b c d", "a>c a>b b>d c>d"))).toEqual({
      order: ["a", "b", "c", "d"],
    });
  });

  it("returns one cycle's path instead of an order", () => {
    expect(topologicalOrder(g("a b c d", "a>b b>c c>a c>d"))).toEqual({
      cycle: ["a", "b", "c", "a"],
    });
  });

  it("respects every edge of any random DAG", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 120 }),
        (n, pairs) => {
          const ids = Array.from({ length: n }, (_, i) => `n${i}`);
          // Edges only go from a lower to a higher index, so the graph is acyclic; shuffle the ids.
          const edges = pairs
            .map(([a, b]) => [a % n, b % n] as const)
            .filter(([a, b]) => a < b)
            .map(([a, b]) => ({ from: ids[a]!, to: ids[b]! }));
          const shuffled = [...ids].reverse();
          const result = topologicalOrder(buildGraph(shuffled, edges));
          if (!("order" in result)) return false;
          const position = new Map(result.order.map((id, i) => [id, i]));
          return (
            result.order.length === n &&
            edges.every((e) => position.get(e.from)! < position.get(e.to)!)
          );
        },
      ),
    );
  });
});

describe("findCycles", () => {
  it("reports each cycle once, as a closed path", () => {
    expect(findCycles(g("a b c d e", "a>b b>a c>d d>e e>c"))).toEqual([
      ["a", "b", "a"],
      ["c", "d", "e", "c"],
    ]);
  });

  it("reports a self loop", () => {
    expect(findCycles(g("a b", "a>a a>b"))).toEqual([["a", "a"]]);
  });

  it("finds the shortest way round inside a tangled component", () => {
    const cycles = findCycles(g("a b c d", "a>b b>c c>a b>d d>a"));
    expect(cycles).toEqual([["a", "b", "c", "a"]]);
  });

  it("handles a 20,000-node chain without overflowing the stack", () => {
    const n = 20_000;
    const ids = Array.from({ length: n }, (_, i) => `n${i}`);
    const edges = ids.slice(1).map((id, i) => ({ from: ids[i]!, to: id }));
    edges.push({ from: ids[n - 1]!, to: ids[0]! });
    const [cycle] = findCycles(buildGraph(ids, edges));
    expect(cycle).toHaveLength(n + 1);
  });
});

describe("reachability", () => {
  it("walks forward from roots and backward to ancestors", () => {
    const graph = g("a b c d x", "a>b b>c x>x");
    expect(roots(graph)).toEqual(["a", "d"]);
    expect([...reachableFrom(graph, ["a"])].sort()).toEqual(["a", "b", "c"]);
    expect([...ancestorsOf(graph, "c")].sort()).toEqual(["a", "b"]);
  });

  it("ignores edges whose ends are not nodes", () => {
    const graph = buildGraph(["a"], [{ from: "a", to: "ghost" }]);
    expect(graph.successors.get("a")).toEqual([]);
  });
});
