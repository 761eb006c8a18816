import { describe, expect, it } from "vitest";
import { codes, find, load } from "../support/spec.js";

const tasks = (...ids: string[]) =>
  ids.map((id) => `  - { id: ${id}, kind: task, handler: noop }`).join("\n");

describe("flow checks", () => {
  it("reports a cycle with its path, at the edge that closes it", () => {
    const r = load(
      `name: c\nnodes:\n${tasks("a", "b", "c", "d")}\nedges:\n  - { from: d, to: a }\n  - { from: a, to: b }\n  - { from: b, to: c }\n  - { from: c, to: a }\n`,
    );
    const f = find(r, "E_CYCLE");
    expect(f.message).toBe("cycle: a -> b -> c -> a");
    expect(f).toMatchObject({ edgeId: "c->a", line: 11 });
    expect(codes(r)).toEqual(["E_CYCLE"]);
  });

  it("reports nodes that can only be reached through a cycle as unreachable", () => {
    const r = load(
      `name: c\nnodes:\n${tasks("a", "b", "c")}\nedges:\n  - { from: a, to: b }\n  - { from: b, to: a }\n  - { from: b, to: c }\n`,
    );
    expect(r.findings.map((f) => `${f.code} ${f.nodeId}`).sort()).toEqual([
      "E_CYCLE a",
      "E_UNREACHABLE c",
    ]);
  });

  it("reports dangling edges with a did-you-mean", () => {
    const r = load(
      `name: c\nnodes:\n${tasks("fetch", "store")}\nedges:\n  - { from: fetch, to: stor }\n`,
    );
    expect(find(r, "E_DANGLING_EDGE")).toMatchObject({
      edgeId: "fetch->stor",
      hint: "did you mean `store`?",
      line: 6,
    });
  });

  it("reports a duplicate edge", () => {
    const r = load(
      `name: c\nnodes:\n${tasks("a", "b")}\nedges:\n  - { from: a, to: b }\n  - { from: a, to: b }\n`,
    );
    expect(find(r, "E_DUPLICATE_EDGE").line).toBe(7);
  });

  it("requires a true branch on a decision and warns when false is missing", () => {
    const none = load(`
      name: d
      nodes:
        - { id: check, kind: decision, condition: "true" }
        - { id: a, kind: task, handler: noop }
      edges:
        - { from: check, to: a }
    `);
    expect(codes(none).sort()).toEqual(["E_DECISION_BRANCH_MISSING", "E_DECISION_EDGE"]);
    const halfway = load(`
      name: d
      nodes:
        - { id: check, kind: decision, condition: "true" }
        - { id: a, kind: task, handler: noop }
      edges:
        - { from: check, to: a, condition: true }
    `);
    expect(codes(halfway)).toEqual(["W_DECISION_NO_FALSE_BRANCH"]);
  });

  it("checks exclusive gateways: conditions, one default, misplaced conditions", () => {
    const r = load(`
      name: x
      parameters:
        size: { type: integer, default: 3 }
      nodes:
        - { id: route, kind: exclusive }
        - { id: small, kind: task, handler: noop }
        - { id: large, kind: task, handler: noop }
        - { id: other, kind: task, handler: noop }
      edges:
        - { from: route, to: small, condition: "params.size < 10" }
        - { from: route, to: large }
        - { from: route, to: other, default: true }
        - { from: small, to: other, condition: "true" }
    `);
    expect(codes(r).sort()).toEqual(["E_EDGE_CONDITION", "E_EXCLUSIVE_EDGE"]);
    expect(find(r, "E_EXCLUSIVE_EDGE").edgeId).toBe("route->large");
  });

  it("keeps compensation nodes off the flow and checks what they undo", () => {
    const r = load(`
      name: saga
      nodes:
        - { id: charge, kind: task, handler: noop, compensation: refnd }
        - { id: ship, kind: task, handler: noop, compensation: charge }
        - { id: refund, kind: compensation, handler: noop, compensates: charge }
        - { id: orphan, kind: compensation, handler: noop }
      edges:
        - { from: charge, to: ship }
        - { from: ship, to: refund }
    `);
    expect(r.findings.map((f) => `${f.code} ${f.nodeId}`).sort()).toEqual([
      "E_COMPENSATION_EDGE refund",
      "E_UNKNOWN_COMPENSATION charge",
      "E_UNKNOWN_COMPENSATION refund",
      "E_UNKNOWN_COMPENSATION ship",
      "W_COMPENSATION_UNUSED orphan",
      "W_COMPENSATION_UNUSED refund",
    ]);
    expect(
      r.findings.find((f) => f.code === "E_UNKNOWN_COMPENSATION" && f.nodeId === "charge")!.hint,
    ).toBe("did you mean `refund`?");
  });
});

describe("sub-workflows", () => {
  it("finds recursion across the workflows of a file", () => {
    const r = load(`
      name: a
      nodes: [{ id: call-b, kind: subworkflow, workflow: b }]
      ---
      name: b
      nodes: [{ id: call-a, kind: subworkflow, workflow: a@2 }]
    `);
    expect(r.findings.map((f) => f.message)).toEqual([
      "sub-workflow calls loop: a -> b -> a",
      "sub-workflow calls loop: b -> a -> b",
    ]);
  });

  it("is a warning without a store and an error when the store says it does not exist", () => {
    const yaml = "name: a\nnodes: [{ id: call, kind: subworkflow, workflow: elsewhere }]\n";
    expect(codes(load(yaml))).toEqual(["W_SUBWORKFLOW_UNKNOWN"]);
    expect(codes(load(yaml, "a.yaml", { storeHas: () => false }))).toEqual([
      "E_SUBWORKFLOW_UNKNOWN",
    ]);
    expect(codes(load(yaml, "a.yaml", { storeHas: (n) => n === "elsewhere" }))).toEqual([]);
  });

  it("rejects a malformed reference", () => {
    expect(
      codes(load("name: a\nnodes: [{ id: call, kind: subworkflow, workflow: 'B@latest' }]\n")),
    ).toEqual(["E_SUBWORKFLOW_REF"]);
  });
});

describe("expressions", () => {
  it("points a CEL syntax error at its column inside the expression", () => {
    const r = load(`
      name: e
      nodes:
        - { id: a, kind: task, handler: noop }
        - id: check
          kind: decision
          condition: nodes.a.output.size >
        - { id: b, kind: task, handler: noop }
      edges:
        - { from: a, to: check }
        - { from: check, to: b, condition: true }
    `);
    const f = find(r, "E_CEL");
    // "    condition: " is 15 characters; the error is at the end, offset 21 of the expression.
    expect(f).toMatchObject({ line: 6, col: 16 + 21, nodeId: "check" });
    expect(f.message).toBe("unexpected token: EOF (column 22 of the expression)");
  });

  it("rejects an undeclared parameter, with the declared ones as a hint", () => {
    const r = load(`
      name: e
      parameters:
        threshold: { type: number, default: 0.5 }
      nodes:
        - { id: a, kind: task, handler: shell, with: { command: [echo, "\${params.treshold}"] } }
    `);
    const f = find(r, "E_UNKNOWN_PARAM");
    expect(f.message).toBe("`params.treshold` is not a declared parameter (column 3 of the value)");
    expect(f.hint).toBe("did you mean `threshold`?");
    // The column of `params` inside the quoted string on line 5.
    expect(f).toMatchObject({ line: 5, col: 69 });
  });

  it("only lets an expression read nodes that run before it", () => {
    const r = load(`
      name: e
      nodes:
        - { id: a, kind: task, handler: noop }
        - { id: b, kind: task, handler: shell, with: { command: [echo, "\${nodes.c.output}"] } }
        - { id: c, kind: task, handler: noop }
        - { id: d, kind: task, handler: shell, with: { command: [echo, "\${nodes.zz.output}"] } }
      edges:
        - { from: a, to: b }
    `);
    expect(find(r, "E_NOT_UPSTREAM").nodeId).toBe("b");
    expect(find(r, "E_UNKNOWN_NODE_REF").nodeId).toBe("d");
  });

  it("type-checks conditions against parameter types", () => {
    const r = load(`
      name: e
      parameters:
        count: { type: integer, default: 1 }
      nodes:
        - { id: check, kind: decision, condition: 'params.count + 1' }
        - { id: b, kind: task, handler: noop }
        - { id: c, kind: decision, condition: 'params.count > "x"' }
      edges:
        - { from: check, to: b, condition: true }
        - { from: c, to: b, condition: true }
    `);
    expect(find(r, "E_CEL_TYPE").message).toBe("the condition yields int, not bool");
    expect(find(r, "E_CEL").message).toContain("no such overload");
  });

  it("lets map tasks read item and index, and nothing else does", () => {
    const r = load(`
      name: e
      parameters:
        files: { type: array, default: [a, b] }
      nodes:
        - { id: each, kind: task, handler: shell, map: { over: params.files }, with: { command: [echo, "\${item}", "\${index}"] } }
        - { id: plain, kind: task, handler: shell, with: { command: [echo, "\${item}"] } }
    `);
    expect(r.findings.map((f) => [f.code, f.nodeId])).toEqual([["E_CEL", "plain"]]);
  });

  it("reports an unclosed template and accepts an escaped one", () => {
    const r = load(`
      name: e
      nodes:
        - { id: a, kind: task, handler: shell, with: { command: "echo \${params", shell: true } }
        - { id: b, kind: task, handler: shell, with: { command: "echo $\${HOME}", shell: true } }
    `);
    expect(r.findings.map((f) => [f.code, f.nodeId])).toEqual([["E_TEMPLATE", "a"]]);
  });
});

describe("fields and limits", () => {
  it("checks durations, delays and cron", () => {
    const r = load(`
      name: f
      nodes:
        - { id: a, kind: task, handler: noop, timeout: 5 minutes }
        - { id: b, kind: delay }
        - { id: c, kind: delay, duration: 5m, cron: "* * * * *" }
        - { id: d, kind: delay, cron: "61 * * * *" }
        - { id: e, kind: delay, until: tomorrow }
    `);
    expect(r.findings.map((f) => [f.code, f.nodeId])).toEqual([
      ["E_DURATION", "a"],
      ["E_DELAY", "b"],
      ["E_DELAY", "c"],
      ["E_CRON", "d"],
      ["E_DELAY", "e"],
    ]);
  });

  it("applies default limits and the workflow's own", () => {
    const many = Array.from(
      { length: 501 },
      (_, i) => `  - { id: n${i}, kind: task, handler: noop }`,
    ).join("\n");
    expect(codes(load(`name: big\nnodes:\n${many}\n`))).toEqual(["E_LIMIT_NODES"]);
    const r = load(`
      name: l
      limits: { maxRetries: 3, maxTimeout: 1h, maxFanOut: 1 }
      nodes:
        - { id: a, kind: task, handler: noop, timeout: 2h, retries: { max: 5 } }
        - { id: b, kind: task, handler: noop }
        - { id: c, kind: task, handler: noop }
      edges:
        - { from: a, to: b }
        - { from: a, to: c }
    `);
    expect(codes(r).sort()).toEqual(["E_LIMIT_FANOUT", "E_LIMIT_RETRIES", "E_LIMIT_TIMEOUT"]);
  });

  it("checks parameter declarations and defaults", () => {
    const r = load(`
      name: p
      parameters:
        mode: { type: enum }
        size: { type: integer, default: 2.5 }
        color: { type: string, enum: [red, blue], default: green }
        "bad name": { type: string }
        must: { type: string, required: true, default: x }
      nodes: [{ id: a, kind: task, handler: noop }]
    `);
    expect(codes(r).sort()).toEqual([
      "E_BAD_DEFAULT",
      "E_BAD_DEFAULT",
      "E_BAD_PARAMETER",
      "E_BAD_PARAMETER",
      "W_REQUIRED_WITH_DEFAULT",
    ]);
  });

  it("gives a slug for an invalid id", () => {
    const r = load("name: x\nnodes: [{ id: Fetch Data, kind: task, handler: noop }]\n");
    expect(find(r, "E_BAD_ID").hint).toContain("try `fetch-data`");
  });
});

describe("shell tasks (problem 3)", () => {
  const shellTask = (withYaml: string) =>
    `name: s\nparameters:\n  x: { type: string }\n  interp: { type: string }\nnodes:\n  - id: t\n    kind: task\n    handler: shell\n    with:\n${withYaml}\n`;

  it("warns where a value is spliced into an `sh -c` script given in argv form, with the safe form", () => {
    const r = load(shellTask('      command: [sh, -c, "echo ${params.x}"]'));
    const f = find(r, "W_SHELL_SPLICE");
    expect(f).toMatchObject({ severity: "warning", nodeId: "t", line: 10, col: 31 });
    expect(f.hint).toContain("shell: sh");
    expect(f.hint).toContain("'echo \"$1\"'");
    const s = load(shellTask("      command: sh -c 'echo ${params.x}'"));
    expect(find(s, "W_SHELL_SPLICE")).toMatchObject({ line: 10 });
  });

  it("refuses a templated interpreter", () => {
    const r = load(shellTask('      shell: "${params.interp}"\n      command: echo hi'));
    expect(find(r, "E_SHELL_TEMPLATED")).toMatchObject({ severity: "error", line: 10, col: 15 });
    const c = load(shellTask('      command: "${params.interp}"\n      script: print(1)'));
    expect(find(c, "E_SHELL_TEMPLATED")).toMatchObject({ line: 10 });
  });

  it("leaves the safe forms alone: a shell command, and `$1` arguments", () => {
    const r = load(
      shellTask(`      shell: bash\n      command: 'rm -f "/tmp/scratch/\${params.x}"'`),
    );
    expect(codes(r)).toEqual([]);
    const argv = load(shellTask(`      command: [sh, -c, 'echo "$1"', sh, "\${params.x}"]`));
    expect(codes(argv)).toEqual([]);
  });

  it("refuses a value in a here-document with a quoted delimiter, and an unclosed quote in a string command", () => {
    const r = load(
      shellTask(
        "      shell: true\n      script: |\n        cat <<'EOF'\n        ${params.x}\n        EOF",
      ),
    );
    expect(find(r, "E_SHELL_SCRIPT").message).toContain("quoted");
    const q = load(shellTask("      command: printf '%s ${params.x}"));
    expect(find(q, "E_SHELL_WORDS")).toMatchObject({ line: 10 });
  });

  it("warns that a value goes into another interpreter's code as text", () => {
    const r = load(shellTask("      command: python3\n      script: print('${params.x}')"));
    expect(find(r, "W_SCRIPT_SPLICE").hint).toContain("env");
  });
});

describe("ids the validator refuses", () => {
  it("reports a node id with a bracket and still checks expressions (found by the fuzz suite)", () => {
    const r = load(
      "name: s\nparameters:\n  x: { type: string }\nnodes:\n  - { id: ')a', kind: task, handler: noop }\n  - { id: b, kind: task, handler: noop, with: { output: '${params.x}' } }\n",
    );
    expect(codes(r)).toEqual(["E_BAD_ID"]);
  });
});

describe("module tasks", () => {
  const moduleTask = (path: string) =>
    `name: m\nparameters:\n  p: { type: string }\nnodes:\n  - id: t\n    kind: task\n    handler: module\n    with: { path: ${JSON.stringify(path)} }\n`;

  it("refuses a templated module path and one that climbs out of the module path", () => {
    expect(find(load(moduleTask("${params.p}")), "E_MODULE_PATH").message).toContain("templated");
    expect(find(load(moduleTask("../../etc/evil.mjs")), "E_MODULE_PATH").message).toContain("..");
    expect(codes(load(moduleTask("etl/extract.mjs")))).toEqual([]);
  });
});

describe("the workflow's environment (defaults.env)", () => {
  it("checks its templates: params may be read, nodes may not", () => {
    const r = load(
      "name: e\nparameters:\n  who: { type: string }\ndefaults:\n  env:\n    A: '${params.whoo}'\n    B: '${nodes.t.output}'\n    C: 'hi ${params.who}'\nnodes:\n  - { id: t, kind: task, handler: noop }\n",
    );
    expect(r.findings.map((f) => `${f.code} ${f.path} ${f.line}`).sort()).toEqual([
      "E_NOT_UPSTREAM defaults.env.B 7",
      "E_UNKNOWN_PARAM defaults.env.A 6",
    ]);
  });
});
