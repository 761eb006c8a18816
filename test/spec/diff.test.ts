import { describe, expect, it } from "vitest";
import { diffWorkflows, formatDiff, isEmptyDiff } from "../../src/spec/diff.js";
import { type Workflow, type WorkflowInput, WorkflowSchema } from "../../src/spec/model.js";

const wf = (input: Partial<WorkflowInput> = {}) => WorkflowSchema.parse({ name: "etl", ...input });

/** The same value with object keys in reverse order at every depth (arrays keep their order). */
const reverseKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(reverseKeys)
    : value && typeof value === "object"
      ? Object.fromEntries(
          Object.entries(value)
            .reverse()
            .map(([k, v]) => [k, reverseKeys(v)]),
        )
      : value;

const base = () =>
  wf({
    description: "nightly load",
    parameters: { env: { type: "enum", enum: ["dev", "prod"], default: "dev" } },
    defaults: { timeout: "5m" },
    nodes: [
      { id: "extract", kind: "task", handler: "shell", with: { command: ["echo", "a"], cwd: "/" } },
      {
        id: "transform",
        kind: "task",
        handler: "shell",
        timeout: "60s",
        retries: { max: 2 },
        with: { command: ["echo", "a"] },
      },
      { id: "check", kind: "decision", condition: "true" },
    ],
    edges: [
      { from: "extract", to: "transform" },
      { from: "transform", to: "check", label: "done" },
    ],
  });

describe("diffWorkflows", () => {
  it("finds no differences between a workflow and itself", () => {
    const d = diffWorkflows(base(), base());
    expect(isEmptyDiff(d)).toBe(true);
    expect(d.nodesChanged).toEqual([]);
    expect(d.other).toEqual([]);
  });

  it("ignores the order of nodes, edges and object keys", () => {
    const before = base();
    const after = reverseKeys({
      ...before,
      nodes: [...before.nodes].reverse(),
      edges: [...before.edges].reverse(),
    }) as Workflow;
    expect(Object.keys(after.nodes[2]!.kind === "task" ? after.nodes[2]!.with : {})).toEqual([
      "cwd",
      "command",
    ]);
    expect(isEmptyDiff(diffWorkflows(before, after))).toBe(true);
  });

  it("reports added and removed nodes with their kinds, sorted by id", () => {
    const before = base();
    const after = wf({
      ...base(),
      nodes: [
        ...base().nodes.filter((n) => n.id !== "check"),
        { id: "store_backup", kind: "task", handler: "noop" },
        { id: "archive", kind: "delay", duration: "1h" },
      ],
    } as Partial<WorkflowInput>);
    const d = diffWorkflows(before, after);
    expect(d.nodesAdded).toEqual([
      { id: "archive", kind: "delay" },
      { id: "store_backup", kind: "task" },
    ]);
    expect(d.nodesRemoved).toEqual([{ id: "check", kind: "decision" }]);
    expect(d.nodesChanged).toEqual([]);
  });

  it("reports the deepest changed field of a node", () => {
    const after = base();
    const transform = after.nodes.find((n) => n.id === "transform")!;
    if (transform.kind !== "task") throw new Error("fixture");
    transform.timeout = "90s";
    transform.with = { command: ["echo", "b"] };
    transform.retries = { ...transform.retries!, max: 3 };
    const d = diffWorkflows(base(), after);
    expect(d.nodesChanged).toEqual([
      {
        id: "transform",
        kind: "task",
        changes: [
          { field: "retries.max", before: 2, after: 3 },
          { field: "timeout", before: "60s", after: "90s" },
          { field: "with.command.1", before: "a", after: "b" },
        ],
      },
    ]);
  });

  it("reports a field present on one side only with the other side undefined", () => {
    const after = base();
    const extract = after.nodes.find((n) => n.id === "extract")!;
    if (extract.kind !== "task") throw new Error("fixture");
    extract.with = { command: ["echo", "a"], env: { A: "1" } };
    extract.timeout = "10s";
    const d = diffWorkflows(base(), after);
    expect(d.nodesChanged[0]!.changes).toEqual([
      { field: "timeout", before: undefined, after: "10s" },
      { field: "with.cwd", before: "/", after: undefined },
      { field: "with.env", before: undefined, after: { A: "1" } },
    ]);
  });

  it("tells a missing value from null", () => {
    const before = wf({ metadata: {} });
    const after = wf({ metadata: { owner: null } });
    expect(diffWorkflows(before, after).other).toEqual([
      { field: "metadata.owner", before: undefined, after: null },
    ]);
  });

  it("compares lists item by item when their lengths match, and whole otherwise", () => {
    const before = wf({ metadata: { tags: ["a", "b", "c"], owners: ["x"] } });
    const after = wf({ metadata: { tags: ["a", "c", "b"], owners: ["x", "y"] } });
    expect(diffWorkflows(before, after).other).toEqual([
      { field: "metadata.owners", before: ["x"], after: ["x", "y"] },
      { field: "metadata.tags.1", before: "b", after: "c" },
      { field: "metadata.tags.2", before: "c", after: "b" },
    ]);
  });

  it("reports a node whose kind changed under its new kind", () => {
    const before = wf({ nodes: [{ id: "gate", kind: "parallel" }] });
    const after = wf({ nodes: [{ id: "gate", kind: "exclusive" }] });
    expect(diffWorkflows(before, after).nodesChanged).toEqual([
      {
        id: "gate",
        kind: "exclusive",
        changes: [{ field: "kind", before: "parallel", after: "exclusive" }],
      },
    ]);
  });

  it("matches edges by from->to and reports condition, default and label changes", () => {
    const before = wf({
      edges: [
        { from: "check", to: "a", condition: true },
        { from: "check", to: "b", condition: false },
        { from: "x", to: "y" },
      ],
    });
    const after = wf({
      edges: [
        { from: "check", to: "b", condition: "params.env == 'prod'", default: true },
        { from: "check", to: "a", condition: true, label: "yes" },
        { from: "y", to: "z" },
      ],
    });
    const d = diffWorkflows(before, after);
    expect(d.edgesAdded).toEqual(["y->z"]);
    expect(d.edgesRemoved).toEqual(["x->y"]);
    expect(d.edgesChanged).toEqual([
      { id: "check->a", changes: [{ field: "label", before: undefined, after: "yes" }] },
      {
        id: "check->b",
        changes: [
          { field: "condition", before: false, after: "params.env == 'prod'" },
          { field: "default", before: false, after: true },
        ],
      },
    ]);
  });

  it("reports added, removed and changed parameters by name", () => {
    const before = wf({
      parameters: {
        env: { type: "enum", enum: ["dev", "prod"], default: "dev" },
        old: {},
        port: { type: "integer" },
      },
    });
    const after = wf({
      parameters: {
        env: { type: "enum", enum: ["dev", "staging", "prod"], default: "dev" },
        port: { type: "integer", required: true },
        day: { type: "string" },
        batch: { type: "integer", default: 10 },
      },
    });
    const d = diffWorkflows(before, after);
    expect(d.parametersAdded).toEqual(["batch", "day"]);
    expect(d.parametersRemoved).toEqual(["old"]);
    expect(d.parametersChanged).toEqual([
      {
        name: "env",
        changes: [{ field: "enum", before: ["dev", "prod"], after: ["dev", "staging", "prod"] }],
      },
      { name: "port", changes: [{ field: "required", before: false, after: true }] },
    ]);
  });

  it("reports other top-level fields as dotted paths", () => {
    const before = wf({ description: "a", defaults: { timeout: "5m" }, limits: { maxNodes: 10 } });
    const after = wf({
      name: "etl2",
      defaults: { timeout: "10m", retries: { max: 1 } },
      limits: { maxNodes: 10 },
      metadata: { owner: "ops" },
    });
    expect(diffWorkflows(before, after).other).toEqual([
      { field: "defaults.retries", before: undefined, after: expect.objectContaining({ max: 1 }) },
      { field: "defaults.timeout", before: "5m", after: "10m" },
      { field: "description", before: "a", after: undefined },
      { field: "metadata.owner", before: undefined, after: "ops" },
      { field: "name", before: "etl", after: "etl2" },
    ]);
  });
});

describe("formatDiff", () => {
  const labels = { before: "etl@1", after: "etl@2" };

  it("says there are no differences when the diff is empty", () => {
    expect(formatDiff(diffWorkflows(base(), base()), labels)).toBe(
      "no differences between etl@1 and etl@2",
    );
  });

  it("renders an aligned table headed by both labels", () => {
    const before = wf({
      nodes: [
        { id: "old", kind: "task", handler: "noop" },
        {
          id: "transform",
          kind: "task",
          handler: "shell",
          timeout: "60s",
          with: { command: ["echo", "a"] },
        },
      ],
      edges: [{ from: "old", to: "transform" }],
    });
    const after = wf({
      nodes: [
        {
          id: "transform",
          kind: "task",
          handler: "shell",
          timeout: "90s",
          with: { command: ["echo", "b"] },
        },
        { id: "store_backup", kind: "task", handler: "noop" },
      ],
      edges: [{ from: "transform", to: "store_backup" }],
    });
    const lines = formatDiff(diffWorkflows(before, after), labels).split("\n");
    expect(lines).toEqual([
      "etl@1 -> etl@2",
      "nodes added:    +store_backup (task)",
      "nodes removed:  -old (task)",
      "node transform (task):",
      "  timeout         60s  ->  90s",
      "  with.command.1  a    ->  b",
      "edges added:    +transform->store_backup",
      "edges removed:  -old->transform",
    ]);
  });

  it("lists several added items under one label and shows unset, empty and long values", () => {
    const before = wf({ description: "", metadata: { note: "x".repeat(60) } });
    const after = wf({
      parameters: { a: {}, b: {} },
      metadata: { note: "line one\nline two", owner: "ops" },
    });
    const lines = formatDiff(diffWorkflows(before, after), labels).split("\n");
    expect(lines).toEqual([
      "etl@1 -> etl@2",
      "parameters added:  +a",
      "                   +b",
      "workflow:",
      `  description     ""                                        ->  (unset)`,
      `  metadata.note   ${"x".repeat(39)}…  ->  "line one\\nline two"`,
      "  metadata.owner  (unset)                                   ->  ops",
    ]);
  });
});
