import { describe, expect, it } from "vitest";
import { codes, errors, find, load } from "../support/spec.js";

describe("reading the native format", () => {
  it("reads a clean workflow with defaults filled", () => {
    const r = load(`
      name: hello
      nodes:
        - id: greet
          kind: task
          handler: shell
          with: { command: [echo, hi] }
      edges: []
    `);
    expect(r.findings).toEqual([]);
    const node = r.workflows[0]!.workflow.nodes[0]!;
    expect(node).toMatchObject({
      id: "greet",
      priority: 0,
      continueOnFailure: false,
      with: { command: ["echo", "hi"], shell: false, inheritEnv: [] },
    });
    expect(r.workflows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("points an unknown key at its own line and column, with a did-you-mean hint", () => {
    const r = load(`
      name: hello
      nodes:
        - id: a
          kind: task
          handler: noop
          timeot: 5s
    `);
    const f = find(r, "E_UNKNOWN_KEY");
    expect(f).toMatchObject({
      file: "test.yaml",
      line: 6,
      col: 5,
      nodeId: "a",
      path: "nodes.0.timeot",
    });
    expect(f.hint).toBe("did you mean `timeout`?");
  });

  it("names the familiar key from other tools (type -> kind, source -> from)", () => {
    const r = load(`
      name: hello
      nodes:
        - { id: a, type: task, kind: task, handler: noop }
        - { id: b, kind: task, handler: noop }
      edges:
        - { source: a, from: a, to: b }
    `);
    expect(r.findings.map((f) => f.hint)).toEqual([
      "weft calls this `kind`",
      "weft calls this `from`",
    ]);
  });

  it("reports an unknown kind and a missing kind separately", () => {
    const r = load(`
      name: hello
      nodes:
        - { id: a, kind: tsk }
        - { id: b }
    `);
    expect(find(r, "E_UNKNOWN_KIND")).toMatchObject({
      line: 3,
      nodeId: "a",
      hint: "did you mean `task`?",
    });
    expect(find(r, "E_MISSING_FIELD")).toMatchObject({ line: 4, nodeId: "b" });
  });

  it("says what a wrong type is and where", () => {
    const r = load(`
      name: hello
      nodes:
        - id: a
          kind: task
          handler: noop
          retries: { max: many }
    `);
    const f = find(r, "E_TYPE");
    expect(f.message).toBe('`max` must be a number, not the string "many"');
    expect(f).toMatchObject({ line: 6, col: 21 });
  });

  it("offers the enum values of a misspelt handler", () => {
    const r = load(`
      name: hello
      nodes:
        - { id: a, kind: task, handler: shel }
    `);
    expect(find(r, "E_VALUE").hint).toContain("did you mean `shell`?");
  });

  it("reports every problem of a file at once", () => {
    const r = load(`
      name: Bad Name
      nodes:
        - { id: a, kind: task, handler: noop, bogus: 1 }
        - { id: b, kind: decision }
      edges:
        - { from: a, to: nowhere }
    `);
    expect(codes(r).sort()).toEqual(["E_MISSING_FIELD", "E_UNKNOWN_KEY"]);
    const second = load(`
      name: Bad Name
      nodes:
        - { id: a, kind: task, handler: noop }
        - { id: a, kind: task, handler: noop }
      edges:
        - { from: a, to: nowhere }
    `);
    expect(codes(second).sort()).toEqual(["E_BAD_NAME", "E_DANGLING_EDGE", "E_DUPLICATE_ID"]);
  });

  it("fills handler defaults so equivalent files hash the same", () => {
    const a = load("name: x\nnodes: [{id: a, kind: task, handler: shell, with: {command: [ls]}}]");
    const b = load(
      "name: x\nnodes: [{id: a, kind: task, handler: shell, with: {command: [ls], shell: false, inheritEnv: []}, priority: 0}]\nedges: []",
    );
    expect(errors(a)).toEqual([]);
    expect(a.workflows[0]!.hash).toBe(b.workflows[0]!.hash);
  });

  it("checks each handler's arguments", () => {
    const r = load(`
      name: x
      nodes:
        - { id: a, kind: task, handler: shell, with: { cmd: ls } }
        - { id: b, kind: task, handler: http, with: { method: GET } }
        - { id: c, kind: task, handler: sleep, with: { duration: soon } }
    `);
    const handlerFindings = r.findings.filter((f) => f.code === "E_HANDLER_ARGS");
    expect(handlerFindings.map((f) => f.nodeId)).toEqual(["a", "a", "b"]);
    expect(handlerFindings.map((f) => f.message).sort()).toEqual([
      "a shell task needs `command` or `script`",
      "the http handler needs `url`",
      "the shell handler takes no `cmd`",
    ]);
    expect(find(r, "E_DURATION")).toMatchObject({ nodeId: "c" });
  });
});

describe("multi-workflow files", () => {
  it("reads every document and rejects a repeated name", () => {
    const r = load(`
      name: a
      nodes: [{ id: x, kind: task, handler: noop }]
      ---
      name: a
      nodes: [{ id: y, kind: task, handler: noop }]
    `);
    expect(find(r, "E_DUPLICATE_WORKFLOW")).toMatchObject({ line: 4, col: 7 });
    expect(r.workflows.map((w) => w.workflow.name)).toEqual(["a"]);
  });

  it("resolves sub-workflows in the file and checks the params they pass", () => {
    const r = load(`
      name: parent
      nodes:
        - { id: call, kind: subworkflow, workflow: child, params: { SOURCE: db, EXTRA: 1 } }
      ---
      name: child
      parameters:
        SOURCE: { type: string, required: true }
        TABLE: { type: string, required: true }
      nodes: [{ id: x, kind: task, handler: noop }]
    `);
    const problems = r.findings
      .filter((f) => f.code === "E_SUBWORKFLOW_PARAMS")
      .map((f) => f.message);
    expect(problems.sort()).toEqual([
      "`child` needs parameter `TABLE`, which this node does not pass",
      "workflow `child` has no parameter `EXTRA`",
    ]);
  });
});
