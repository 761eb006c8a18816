import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createEditor,
  type EditorCommand,
  type EditorState,
  isDirty,
  reduce,
} from "../../src/app/editor/index.js";
import { checkWorkflows, type Workflow, WorkflowSchema } from "../../src/spec/index.js";

const pipeline = (): Workflow =>
  WorkflowSchema.parse({
    name: "pipe",
    nodes: [
      { id: "fetch", kind: "task", handler: "noop" },
      { id: "check", kind: "decision", condition: "nodes.fetch.output.ok" },
      { id: "store", kind: "task", handler: "noop" },
      { id: "undo-store", kind: "compensation", handler: "noop", compensates: "store" },
    ],
    edges: [
      { from: "fetch", to: "check" },
      { from: "check", to: "store", condition: true },
    ],
  });

const run = (commands: EditorCommand[], start = createEditor(pipeline(), { version: 3 })) =>
  commands.reduce(reduce, start);
const edges = (s: EditorState) =>
  s.workflow.edges.map(
    (e) => `${e.from}>${e.to}${e.condition === undefined ? "" : `:${e.condition}`}`,
  );
const ids = (s: EditorState) => s.workflow.nodes.map((n) => n.id);

describe("adding and deleting nodes", () => {
  it("adds a node after the selection, on the decision's missing branch", () => {
    const s = run([{ type: "addNode", kind: "task", after: "check" }]);
    expect(ids(s)).toEqual(["fetch", "check", "store", "undo-store", "task-1"]);
    expect(edges(s)).toContain("check>task-1:false");
    expect(s.selection).toEqual({ type: "node", id: "task-1" });
    expect(isDirty(s)).toBe(true);
  });

  it("adds a node alone when nothing sensible precedes it", () => {
    const s = run([{ type: "addNode", kind: "compensation", after: "store" }]);
    expect(edges(s)).toEqual(["fetch>check", "check>store:true"]);
    expect(ids(s).at(-1)).toBe("compensation-1");
  });

  it("deletes a node with its edges", () => {
    const s = run([{ type: "deleteNode", id: "check" }]);
    expect(ids(s)).toEqual(["fetch", "store", "undo-store"]);
    expect(edges(s)).toEqual([]);
    expect(s.selection).toEqual({ type: "node", id: "fetch" });
    expect(reduce(s, { type: "deleteNode", id: "fetch" }).selection).toBeNull();
  });
});

describe("connecting", () => {
  it("refuses an edge that would close a cycle, naming the cycle", () => {
    const s = run([{ type: "connect", from: "store", to: "fetch" }]);
    expect(s.notice).toEqual({
      level: "error",
      message: "`store` -> `fetch` would close the cycle store -> fetch -> check -> store",
    });
    expect(edges(s)).toEqual(["fetch>check", "check>store:true"]);
    expect(s.past).toEqual([]);
  });

  it("refuses self loops, duplicates, compensation edges and a third decision branch", () => {
    const reasons = [
      { type: "connect", from: "fetch", to: "fetch" },
      { type: "connect", from: "fetch", to: "check" },
      { type: "connect", from: "fetch", to: "undo-store" },
    ].map((c) => run([c as EditorCommand]).notice?.message);
    expect(reasons).toEqual([
      "a node cannot follow itself: `fetch` -> `fetch` would be a cycle",
      "`fetch` -> `check` is already an edge",
      "compensation nodes take no edges: set a task's `compensation` to it instead",
    ]);
    const full = run([
      { type: "addNode", kind: "task" },
      { type: "connect", from: "check", to: "task-1" },
      { type: "addNode", kind: "task" },
      { type: "connect", from: "check", to: "task-2" },
    ]);
    expect(full.notice?.message).toBe(
      "decision `check` already has its true and false branches; delete one first",
    );
  });

  it("labels a decision's edges and marks an exclusive gateway's first edge as default", () => {
    const s = run([
      { type: "addNode", kind: "task" },
      { type: "connect", from: "check", to: "task-1" },
      { type: "addNode", kind: "exclusive", after: "task-1" },
      { type: "addNode", kind: "task", after: "exclusive-1" },
      { type: "addNode", kind: "task", after: "exclusive-1" },
    ]);
    expect(edges(s)).toContain("check>task-1:false");
    expect(s.workflow.edges.filter((e) => e.from === "exclusive-1").map((e) => e.default)).toEqual([
      true,
      false,
    ]);
  });
});

describe("editing the graph", () => {
  it("inserts a node on an edge, keeping the branch label on the first half", () => {
    const s = run([{ type: "insertOnEdge", id: "check->store", kind: "parallel" }]);
    expect(edges(s)).toEqual(["fetch>check", "check>parallel-1:true", "parallel-1>store"]);
  });

  it("renames an id everywhere: edges, compensation links and expressions", () => {
    const s = run([
      { type: "setNodeField", id: "store", path: ["compensation"], value: "undo-store" },
      { type: "renameNode", id: "fetch", to: "load-data" },
      { type: "renameNode", id: "store", to: "save" },
    ]);
    expect(edges(s)).toEqual(["load-data>check", "check>save:true"]);
    const check = s.workflow.nodes.find((n) => n.id === "check");
    expect(check).toMatchObject({ condition: 'nodes["load-data"].output.ok' });
    expect(s.workflow.nodes.find((n) => n.id === "undo-store")).toMatchObject({
      compensates: "save",
    });
    expect(s.workflow.nodes.find((n) => n.id === "save")).toMatchObject({
      compensation: "undo-store",
    });
    expect(checkWorkflows([s.workflow])[0]!.findings.filter((f) => f.severity === "error")).toEqual(
      [],
    );
  });

  it("refuses a rename to a taken or invalid id", () => {
    expect(run([{ type: "renameNode", id: "fetch", to: "store" }]).notice?.message).toBe(
      "`store` is the id of another node",
    );
    expect(run([{ type: "renameNode", id: "fetch", to: "Fetch It" }]).notice?.message).toMatch(
      /^`Fetch It` is not a valid id/,
    );
  });

  it("duplicates a node under a fresh id, without its edges", () => {
    const s = run([
      { type: "duplicateNode", id: "fetch" },
      { type: "duplicateNode", id: "fetch-copy-1" },
    ]);
    expect(ids(s)).toEqual([
      "fetch",
      "fetch-copy-1",
      "fetch-copy-2",
      "check",
      "store",
      "undo-store",
    ]);
    expect(edges(s)).toEqual(["fetch>check", "check>store:true"]);
  });
});

describe("fields", () => {
  it("sets a field when the value fits its schema and refuses it with the reason otherwise", () => {
    const s = run([
      { type: "setNodeField", id: "store", path: ["retries"], value: { max: 3 } },
      { type: "setNodeField", id: "store", path: ["retries", "backoff"], value: "exponential" },
    ]);
    expect(s.workflow.nodes.find((n) => n.id === "store")).toMatchObject({
      retries: { max: 3, backoff: "exponential" },
    });
    const bad = reduce(s, {
      type: "setNodeField",
      id: "store",
      path: ["retries", "max"],
      value: "lots",
    });
    expect(bad.notice?.level).toBe("error");
    expect(bad.notice?.message).toMatch(/^retries\.max: /);
    expect(bad.workflow).toBe(s.workflow);
    expect(
      run([{ type: "setNodeField", id: "store", path: ["id"], value: "x" }]).notice?.message,
    ).toBe("rename the node to change its id (edges follow)");
  });

  it("removes a field given undefined, and edits edges and workflow fields", () => {
    const s = run([
      { type: "setNodeField", id: "store", path: ["description"], value: "keep it" },
      { type: "setNodeField", id: "store", path: ["description"], value: undefined },
      { type: "setEdgeField", id: "check->store", path: ["label"], value: "ok" },
      {
        type: "setWorkflowField",
        path: ["parameters", "size"],
        value: { type: "integer", default: 3 },
      },
    ]);
    expect(s.workflow.nodes.find((n) => n.id === "store")).not.toHaveProperty("description");
    expect(s.workflow.edges[1]).toMatchObject({ label: "ok" });
    expect(s.workflow.parameters.size).toMatchObject({
      type: "integer",
      default: 3,
      required: false,
    });
  });
});

describe("undo and redo", () => {
  it("steps back and forth through every edit, and a new edit clears what was undone", () => {
    let s = run([
      { type: "addNode", kind: "task", after: "store" },
      { type: "renameNode", id: "task-1", to: "notify" },
      { type: "deleteNode", id: "fetch" },
    ]);
    s = reduce(reduce(s, { type: "undo" }), { type: "undo" });
    expect(ids(s)).toEqual(["fetch", "check", "store", "undo-store", "task-1"]);
    s = reduce(s, { type: "redo" });
    expect(ids(s)).toContain("notify");
    s = reduce(s, { type: "setNodeField", id: "notify", path: ["description"], value: "x" });
    expect(reduce(s, { type: "redo" }).notice?.message).toBe("nothing to redo");
    while (s.past.length > 0) s = reduce(s, { type: "undo" });
    expect(s.workflow).toEqual(pipeline());
    expect(isDirty(s)).toBe(false);
  });

  it("undoing every edit of any random sequence gives back the original, and redoing gives the end", () => {
    const command = fc.oneof(
      fc.record({
        type: fc.constant("addNode" as const),
        kind: fc.constantFrom("task" as const, "decision" as const, "parallel" as const),
        after: fc.constantFrom("fetch", "check", "store", "task-1"),
      }),
      fc.record({
        type: fc.constant("deleteNode" as const),
        id: fc.constantFrom("fetch", "check", "store", "task-1"),
      }),
      fc.record({
        type: fc.constant("connect" as const),
        from: fc.constantFrom("fetch", "check", "store", "task-1"),
        to: fc.constantFrom("fetch", "check", "store", "task-1"),
      }),
      fc.record({
        type: fc.constant("renameNode" as const),
        id: fc.constantFrom("fetch", "task-1"),
        to: fc.constantFrom("a", "b", "store"),
      }),
      fc.record({
        type: fc.constant("insertOnEdge" as const),
        id: fc.constantFrom("fetch->check", "check->store"),
        kind: fc.constant("task" as const),
      }),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 25 }), (commands) => {
        const start = createEditor(pipeline());
        const end = commands.reduce(reduce, start);
        let s = end;
        for (let i = 0; i < end.past.length; i++) s = reduce(s, { type: "undo" });
        expect(s.workflow).toEqual(start.workflow);
        for (let i = 0; i < end.past.length; i++) s = reduce(s, { type: "redo" });
        expect(s.workflow).toEqual(end.workflow);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps a read-only past version unchanged", () => {
    const s = reduce(createEditor(pipeline(), { version: 1, readOnly: true }), {
      type: "deleteNode",
      id: "fetch",
    });
    expect(s.notice?.message).toMatch(/^this is a past version, open read-only/);
    expect(ids(s)).toEqual(["fetch", "check", "store", "undo-store"]);
  });

  it("after a save, is clean and saves the next change on top of the new version", () => {
    let s = run([{ type: "addNode", kind: "task", after: "store" }]);
    s = reduce(s, { type: "saved", version: 4 });
    expect(isDirty(s)).toBe(false);
    expect(s.baseVersion).toBe(4);
    expect(s.notice?.message).toBe("saved as version 4");
  });
});

describe("renaming inside expressions", () => {
  it("rewrites every form of reference and nothing that only looks alike", async () => {
    const { renameInExpression } = await import("../../src/app/editor/references.js");
    expect(
      renameInExpression(
        `nodes.fetch.output > 1 && nodes["fetch"].status == 'x' && nodes['fetch'].error != '' && nodes.fetcher.output`,
        "fetch",
        "load-data",
      ),
    ).toBe(
      `nodes["load-data"].output > 1 && nodes["load-data"].status == 'x' && nodes["load-data"].error != '' && nodes.fetcher.output`,
    );
    expect(renameInExpression(`nodes["a-b"].output + nodes.a.output`, "a-b", "ab")).toBe(
      "nodes.ab.output + nodes.a.output",
    );
    expect(renameInExpression("echo ${nodes.fetch.output}", "fetch", "get")).toBe(
      "echo ${nodes.get.output}",
    );
  });
});
