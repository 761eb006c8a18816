import { describe, expect, it } from "vitest";
import { compilePlan } from "../../src/engine/plan.js";
import { load } from "../support/spec.js";

const codesAt = (r: ReturnType<typeof load>) => r.findings.map((f) => [f.code, String(f.path)]);

describe("killGrace and lostAttempts", () => {
  it("resolves each node's from the node, else the defaults, else 5 s and 2", () => {
    const r = load(`
      name: stops
      defaults: { killGrace: 10s, lostAttempts: 3 }
      nodes:
        - { id: own, kind: task, handler: noop, killGrace: 2s, lostAttempts: 1, compensation: undo }
        - { id: inherited, kind: task, handler: noop }
        - { id: undo, kind: compensation, handler: noop, killGrace: 0s }
        - { id: wait, kind: delay, duration: 1s, lostAttempts: 4 }
    `);
    expect(r.findings).toEqual([]);
    const plan = compilePlan(r.workflows[0]!.workflow);
    const got = (id: string) => {
      const p = plan.nodes.get(id)!;
      return [p.killGraceMs, p.lostAttempts];
    };
    expect(got("own")).toEqual([2000, 1]);
    expect(got("inherited")).toEqual([10_000, 3]);
    expect(got("undo")).toEqual([0, 3]);
    expect(got("wait")[1]).toBe(4);

    const bare = load(`
      name: bare
      nodes:
        - { id: a, kind: task, handler: noop }
    `);
    const a = compilePlan(bare.workflows[0]!.workflow).nodes.get("a")!;
    expect([a.killGraceMs, a.lostAttempts]).toEqual([5000, 2]);
  });

  it("checks killGrace as a duration and lostAttempts as a count of at least 1", () => {
    const r = load(`
      name: bad
      defaults: { killGrace: soon }
      nodes:
        - { id: a, kind: task, handler: noop, killGrace: 3 parsecs }
    `);
    expect(codesAt(r)).toEqual(
      expect.arrayContaining([
        ["E_DURATION", "defaults.killGrace"],
        ["E_DURATION", "nodes.0.killGrace"],
      ]),
    );
    const zero = load(`
      name: zero
      nodes:
        - { id: b, kind: task, handler: noop, lostAttempts: 0 }
    `);
    expect(codesAt(zero)).toEqual([["E_RANGE", "nodes.0.lostAttempts"]]);
  });
});
