import { describe, expect, it } from "vitest";
import { checkExpression, referencedNodes, referencedParams } from "../../src/spec/cel.js";
import { scanTemplate } from "../../src/spec/templates.js";

const scope = {
  parameters: { size: { type: "integer" as const }, name: { type: "string" as const } },
  nodeIds: ["fetch", "load-data"],
};

describe("CEL", () => {
  it("type-checks against declared parameters and node outputs", () => {
    expect(checkExpression("params.size > 3 && nodes.fetch.status == 'succeeded'", scope)).toEqual({
      ok: true,
      type: "bool",
    });
    expect(checkExpression('nodes["load-data"].output.rows', scope)).toEqual({
      ok: true,
      type: "dyn",
    });
    expect(checkExpression("size(params.name)", scope)).toEqual({ ok: true, type: "int" });
  });

  it("reports an undeclared variable with its offset", () => {
    expect(checkExpression("params.size > 1 && params.missing", scope)).toEqual({
      ok: false,
      message: "`missing` is not defined here",
      offset: 26,
    });
    expect(checkExpression("env.HOME == ''", scope)).toMatchObject({
      ok: false,
      message: "unknown variable `env` (expressions see params, nodes, run)",
      offset: 0,
    });
  });

  it("reports syntax errors with the column of the bad token", () => {
    expect(checkExpression("params.size >> 2", scope)).toMatchObject({ ok: false, offset: 13 });
    expect(checkExpression("", scope)).toMatchObject({
      ok: false,
      message: "the expression is empty",
    });
  });

  it("refuses expressions past the size and depth limits", () => {
    expect(checkExpression(`${"1 + ".repeat(2000)}1`, scope)).toMatchObject({ ok: false });
    expect(checkExpression(`${"(".repeat(200)}1${")".repeat(200)}`, scope)).toMatchObject({
      ok: false,
    });
  });

  it("finds the nodes and parameters an expression reads", () => {
    expect(
      referencedNodes('nodes.fetch.output + nodes["load-data"].output + nodes.fetch.status'),
    ).toEqual(["fetch", "load-data"]);
    expect(referencedParams("params.a + params['b']")).toEqual([
      { name: "a", offset: 0 },
      { name: "b", offset: 11 },
    ]);
  });
});

describe("templates", () => {
  it("finds ${...} expressions, skipping escaped $${ and braces inside strings", () => {
    expect(scanTemplate('run ${params.a} and ${ {"k": "}"}.k } but $${HOME}')).toEqual({
      ok: true,
      expressions: [
        { expression: "params.a", offset: 6 },
        { expression: ' {"k": "}"}.k ', offset: 22 },
      ],
    });
    expect(scanTemplate("echo ${oops")).toEqual({
      ok: false,
      message: "`${` is never closed by `}`",
      offset: 5,
    });
  });
});

describe("type errors point at the operand at fault (issue 13, problem 10)", () => {
  it("gives the column of the non-bool operand of && and ||, not column 1", () => {
    const scope = {
      parameters: {
        min_quality: { type: "number" as const },
        source: { type: "string" as const },
      },
      nodeIds: ["transform"],
    };
    const text = "nodes.transform.output.quality >= params.min_quality && params.source";
    const r = checkExpression(text, scope as never);
    expect(r).toMatchObject({ ok: false, offset: text.indexOf("params.source") });
    const or = checkExpression("params.source || true", scope as never);
    expect(or).toMatchObject({ ok: false, offset: 0 });
  });
});
