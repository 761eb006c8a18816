/**
 * Inputs that JavaScript objects would quietly change: keys named `__proto__` or `constructor`,
 * YAML keys that collapse into one, merge keys, very long names and control characters.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateExpression } from "../../src/spec/cel.js";
import { loadWorkflowText } from "../../src/spec/load.js";
import { WorkflowSchema } from "../../src/spec/model.js";
import { checkParams, parseParamAssignments } from "../../src/spec/params.js";
import { parseParamsText } from "../../src/spec/params-file.js";

const NODES = [
  "nodes:",
  "  - id: say",
  "    kind: task",
  "    handler: shell",
  "    with:",
  "      command: [echo, hi]",
  "edges: []",
];

const load = (lines: string[]) => loadWorkflowText(`${lines.join("\n")}\n`, "wf.yaml");
const placed = (lines: string[]) =>
  load(lines).findings.map((f) => `${f.line}:${f.col} ${f.severity} ${f.code}`);

describe("reserved parameter names", () => {
  for (const name of ["__proto__", "constructor", "prototype"]) {
    it(`refuses a parameter declared as \`${name}\`, at its key`, () => {
      const r = load(["name: wf", "parameters:", `  ${name}:`, "    type: string", ...NODES]);
      const found = r.findings.filter((f) => f.severity === "error");
      expect(found.map((f) => `${f.line}:${f.col}`)).toContain("3:3");
      expect(found.some((f) => f.message.includes(name))).toBe(true);
      expect(r.workflows.every((w) => !w.valid)).toBe(true);
    });
  }

  const declared = WorkflowSchema.parse({
    name: "p",
    parameters: { env: { type: "string" } },
  }).parameters;

  it("refuses `-p constructor=1` and `-p __proto__=1` with a reason", () => {
    const r = parseParamAssignments(["constructor=1", "__proto__=2", "env=dev"], declared);
    expect(r.problems.map((p) => p.name).sort()).toEqual(["__proto__", "constructor"]);
    expect(r.problems.every((p) => /reserved/.test(p.message))).toBe(true);
    expect(r.params).toEqual({ env: "dev" });
  });

  it("refuses reserved names given as run parameters", () => {
    const r = checkParams(declared, JSON.parse('{"prototype": 1, "env": "dev"}'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]?.message).toMatch(/reserved/);
  });
});

describe("YAML keys that would be dropped or merged", () => {
  it("reports keys that read as the same key (1 and '1')", () => {
    const r = placed([
      "name: wf",
      "parameters:",
      "  p:",
      "    type: object",
      "    default:",
      "      1: a",
      '      "1": b',
      ...NODES,
    ]);
    expect(r).toContain("7:7 error E_YAML_DUPLICATE_KEY");
  });

  it("reports a list or mapping used as a key, which would become a string", () => {
    const r = placed([
      "name: wf",
      "parameters:",
      "  p:",
      "    type: object",
      "    default:",
      "      ? [a]",
      "      : 1",
      ...NODES,
    ]);
    expect(r).toContain("6:9 error E_YAML_COMPLEX_KEY");
  });

  it("still reports plain duplicate keys", () => {
    expect(placed(["name: wf", "name: other", ...NODES])).toContain(
      "2:1 error E_YAML_DUPLICATE_KEY",
    );
  });

  it("reports a `__proto__` key anywhere, at the key", () => {
    const r = placed([
      "name: wf",
      ...NODES.slice(0, 5),
      "      __proto__: { x: 1 }",
      ...NODES.slice(5),
    ]);
    expect(r).toContain("7:7 error E_YAML_PROTO_KEY");
  });

  it("reports a `__proto__` key inside a parameter default", () => {
    const r = placed([
      "name: wf",
      "parameters:",
      "  p:",
      "    type: object",
      "    default:",
      "      __proto__: { admin: true }",
      ...NODES,
    ]);
    expect(r).toContain("6:7 error E_YAML_PROTO_KEY");
  });

  it("refuses merge keys and says to write the keys out", () => {
    const r = load([
      "name: wf",
      "parameters:",
      "  p:",
      "    type: object",
      "    default:",
      "      <<: { a: 1 }",
      "      b: 2",
      ...NODES,
    ]);
    const merge = r.findings.find((f) => f.code === "E_YAML_MERGE_KEY");
    expect(merge).toMatchObject({ line: 6, col: 7, severity: "error" });
    expect(merge?.message).toMatch(/merge keys are not supported/);
  });

  it('takes a quoted `"<<"` as an ordinary key', () => {
    const r = load([
      "name: wf",
      "parameters:",
      "  p:",
      "    type: object",
      "    default:",
      '      "<<": 1',
      ...NODES,
    ]);
    expect(r.findings.filter((f) => f.severity === "error")).toEqual([]);
  });
});

describe("names and ids", () => {
  it("refuses a workflow name longer than 128 characters, at the name", () => {
    const r = placed([`name: ${"a".repeat(129)}`, ...NODES]);
    expect(r).toContain("1:7 error E_NAME_TOO_LONG");
    expect(placed([`name: ${"a".repeat(128)}`, ...NODES])).not.toContain(
      "1:7 error E_NAME_TOO_LONG",
    );
  });

  it("refuses a node id longer than 128 characters, at the id", () => {
    const lines = ["name: wf", ...NODES];
    lines[2] = `  - id: ${"n".repeat(129)}`;
    expect(placed(lines)).toContain("3:9 error E_ID_TOO_LONG");
  });

  it("reports a node id CEL cannot hold as a finding, never a throw", () => {
    const saga = readFileSync(join(import.meta.dirname, "../../examples/order-saga.yaml"), "utf8");
    const r = loadWorkflowText(
      saga.replace("- id: charge_payment", "- id: )charge_payment"),
      "f.yaml",
    );
    expect(r.findings.map((f) => f.code)).toContain("E_BAD_ID");
  });

  it("escapes control characters when it echoes an invalid name or id", () => {
    const lines = ['name: "bad\\e[2Jname"', ...NODES];
    lines[2] = '  - id: "x\\u009b\\ny"';
    const messages = load(lines).findings.map((f) => `${f.message} ${f.hint ?? ""}`);
    expect(messages.some((m) => m.includes("bad\\x1b[2Jname"))).toBe(true);
    expect(messages.some((m) => m.includes("x\\x9b\\ny"))).toBe(true);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
    expect(messages.filter((m) => /[\u0000-\u001f\u007f-\u009f]/.test(m))).toEqual([]);
  });
});

describe("control characters in any finding", () => {
  it("are escaped in every message and hint, whatever check made it", () => {
    const r = load(["name: wf", '"k\\e[2J": 1', ...NODES]);
    const unknown = r.findings.find((f) => f.code === "E_UNKNOWN_KEY");
    expect(unknown?.message).toContain("k\\x1b[2J");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
    const control = /[\u0000-\u001f\u007f-\u009f]/;
    expect(r.findings.filter((f) => control.test(`${f.message}${f.hint ?? ""}`))).toEqual([]);
  });
});

describe("a `constructor` key in values read by expressions", () => {
  const scope = {
    parameters: { p: { type: "object" as const } },
    nodeIds: ["constructor", "other"],
  };
  const values = {
    params: { p: { constructor: 1, inner: { constructor: "c", k: 2 } } },
    nodes: { constructor: { output: { constructor: 5 }, status: "succeeded" } },
    run: { id: "r", workflow: "w", version: 1, attempt: 1 },
  };

  it("reads a parameter holding a `constructor` key", () => {
    expect(evaluateExpression("params.p.inner.k", scope, values)).toBe(2);
    expect(evaluateExpression("params.p.constructor", scope, values)).toBe(1);
    expect(evaluateExpression("params.p", scope, values)).toEqual({
      constructor: 1,
      inner: { constructor: "c", k: 2 },
    });
  });

  it("reads the output of a node whose id is `constructor`", () => {
    expect(evaluateExpression("nodes.constructor.output.constructor", scope, values)).toBe(5);
    expect(evaluateExpression("nodes.other.status", scope, values)).toBe("pending");
  });
});

describe("params files", () => {
  it("gives file:line:col for invalid YAML", () => {
    const r = parseParamsText("a: 1\nb: [1, 2\n", "p.yaml");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toMatch(/^p\.yaml:\d+:\d+: /);
  });

  it("gives file:line:col for invalid JSON", () => {
    const r = parseParamsText('{"a": 1,, "b": 2}', "p.json");
    expect(!r.ok && r.problem).toMatch(/^p\.json:1:\d+: /);
  });

  it("says a params file is a mapping when it is not", () => {
    const r = parseParamsText("- a\n- b\n", "p.yaml");
    expect(!r.ok && r.problem).toMatch(/^p\.yaml:1:1: .*mapping/);
  });

  it("refuses reserved names at their key and duplicate keys", () => {
    const proto = parseParamsText("a: 1\n__proto__: { x: 1 }\n", "p.yaml");
    expect(!proto.ok && proto.problem).toMatch(/^p\.yaml:2:1: .*__proto__/);
    const ctor = parseParamsText('{"a": 1, "constructor": 2}', "p.json");
    expect(!ctor.ok && ctor.problem).toMatch(/^p\.json:1:10: .*constructor/);
    const twice = parseParamsText("a: 1\na: 2\n", "p.yaml");
    expect(!twice.ok && twice.problem).toMatch(/^p\.yaml:2:1: /);
  });

  it("reports keys that would be lost anywhere in the file", () => {
    const nested = parseParamsText(
      "labels:\n  team: ops\n  __proto__: { admin: true }\n",
      "p.yaml",
    );
    expect(!nested.ok && nested.problem).toMatch(/^p\.yaml:3:3: .*__proto__/);
    const merged = parseParamsText("labels:\n  <<: { a: 1 }\n", "p.yaml");
    expect(!merged.ok && merged.problem).toMatch(/^p\.yaml:2:3: merge keys are not supported/);
    const collapsed = parseParamsText("labels:\n  1: a\n  '1': b\n", "p.yaml");
    expect(!collapsed.ok && collapsed.problem).toMatch(/^p\.yaml:3:3: /);
  });

  it("reads a good file as a plain mapping", () => {
    expect(parseParamsText("env: prod\nport: 80\n", "p.yaml")).toEqual({
      ok: true,
      params: { env: "prod", port: 80 },
    });
  });
});

describe("reserved names in Dagu files", () => {
  it("refuses `__proto__` and `constructor` as Dagu params, where they are written", () => {
    const r = loadWorkflowText(
      [
        "name: d",
        "params: __proto__=1",
        "steps:",
        "  - name: a",
        "    command: echo hi",
        "  - name: b",
        "    call: d2",
        "    params: constructor=2",
        "---",
        "name: d2",
        "params: [constructor]",
        "steps:",
        "  - name: c",
        "    command: echo",
        "",
      ].join("\n"),
      "dagu.yaml",
    );
    const reserved = r.findings.filter((f) => f.code === "E_RESERVED_PARAMETER");
    expect(reserved.map((f) => `${f.line}:${f.message.split(" ")[0]}`)).toEqual([
      "2:`__proto__`",
      "8:`constructor`",
      "11:`constructor`",
    ]);
  });

  it("refuses `constructor` in a native sub-workflow node's params, at the key", () => {
    const r = loadWorkflowText(
      [
        "name: parent",
        "nodes:",
        "  - id: call",
        "    kind: subworkflow",
        "    workflow: child",
        "    params:",
        "      constructor: 1",
        "---",
        "name: child",
        "nodes:",
        "  - { id: c, kind: task, handler: noop }",
        "",
      ].join("\n"),
      "calls.yaml",
    );
    expect(
      r.findings.filter((f) => f.severity === "error").map((f) => `${f.line}:${f.col} ${f.code}`),
    ).toEqual(["7:7 E_RESERVED_PARAMETER"]);
  });
});
