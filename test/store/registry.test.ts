import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Workflow, WorkflowSchema } from "../../src/spec/index.js";
import {
  ConflictError,
  NotFoundError,
  readAudit,
  storeKeys,
  WorkflowRegistry,
} from "../../src/store/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";

let server: TestRedis;
let prefix = 0;
let registry: WorkflowRegistry;
let keys: ReturnType<typeof storeKeys>;
let clock = 1_000;

beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());
beforeEach(() => {
  keys = storeKeys(`t${++prefix}`);
  registry = new WorkflowRegistry(server.redis, keys, { user: "ada", host: "box" }, () => ++clock);
});

const flow = (name: string, command = "hi", extra: Partial<Workflow> = {}): Workflow =>
  WorkflowSchema.parse({
    name,
    nodes: [{ id: "a", kind: "task", handler: "shell", with: { command: ["echo", command] } }],
    ...extra,
  });

async function saved(result: Awaited<ReturnType<WorkflowRegistry["save"]>>) {
  if (!result.ok) throw new Error(JSON.stringify(result.findings));
  return result.saved;
}

describe("saving versions", () => {
  it("stores version 1, returns it unchanged for identical content, and version 2 for a change", async () => {
    expect(await saved(await registry.save([flow("etl")]))).toEqual([
      expect.objectContaining({ name: "etl", version: 1, created: true }),
    ]);
    expect(await saved(await registry.save([flow("etl")]))).toEqual([
      expect.objectContaining({ version: 1, created: false }),
    ]);
    expect(await saved(await registry.save([flow("etl", "ho")]))).toEqual([
      expect.objectContaining({ version: 2, created: true }),
    ]);
    expect((await registry.versions("etl")).map((v) => [v.version, v.parent, v.author])).toEqual([
      [1, 0, "ada"],
      [2, 1, "ada"],
    ]);
  });

  it("refuses a save on top of a stale parent, naming both versions and their authors", async () => {
    await registry.save([flow("etl")]);
    await registry.save([flow("etl", "v2")], { parents: new Map([["etl", 1]]) });
    const stale = registry.save([flow("etl", "mine")], { parents: new Map([["etl", 1]]) });
    await expect(stale).rejects.toThrow(ConflictError);
    await expect(stale).rejects.toThrow(
      "you edited version 1 (saved by ada), the current version is 2 (saved by ada)",
    );
    await expect(
      registry.save([flow("etl", "new")], { parents: new Map([["etl", 0]]) }),
    ).rejects.toThrow("already exists");
  });

  it("lets exactly one of two concurrent savers of the same parent win", async () => {
    await registry.save([flow("race")]);
    const other = new WorkflowRegistry(
      server.client(),
      keys,
      { user: "bob", host: "laptop" },
      () => ++clock,
    );
    const results = await Promise.allSettled([
      registry.save([flow("race", "ada's")], { parents: new Map([["race", 1]]) }),
      other.save([flow("race", "bob's")], { parents: new Map([["race", 1]]) }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(ConflictError);
    const winner = (await registry.get("race")).author;
    expect(lost.reason.message).toBe(
      `workflow \`race\` changed since you opened it: you edited version 1 (saved by ada), the current version is 2 (saved by ${winner})`,
    );
    expect((await registry.versions("race")).length).toBe(2);
  });

  it("refuses a workflow with errors and returns every finding", async () => {
    const bad = WorkflowSchema.parse({
      name: "bad",
      nodes: [{ id: "a", kind: "decision", condition: "params.nope" }],
    });
    const result = await registry.save([bad]);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.findings.map((f) => f.code).sort()).toEqual([
        "E_DECISION_BRANCH_MISSING",
        "E_UNKNOWN_PARAM",
      ]);
    await expect(registry.get("bad")).rejects.toThrow(NotFoundError);
  });

  it("saves a multi-workflow unit all or nothing, and checks calls against the store", async () => {
    const parent = WorkflowSchema.parse({
      name: "parent",
      nodes: [{ id: "call", kind: "subworkflow", workflow: "child" }],
    });
    const missing = await registry.save([parent]);
    expect(!missing.ok && missing.findings.map((f) => f.code)).toEqual(["E_SUBWORKFLOW_UNKNOWN"]);
    await registry.save([flow("child")]);
    await registry.save([flow("child", "v2")]);
    await expect(
      registry.save([parent, flow("child", "v3")], { parents: new Map([["child", 1]]) }),
    ).rejects.toThrow(ConflictError);
    await expect(registry.get("parent")).rejects.toThrow(NotFoundError);
    expect(
      (await saved(await registry.save([parent, flow("child", "v3")]))).map((s) => [
        s.name,
        s.version,
      ]),
    ).toEqual([
      ["parent", 1],
      ["child", 3],
    ]);
  });
});

describe("reading", () => {
  it("resolves name, name@N and name@sha:prefix, and says what exists when not found", async () => {
    const [first] = await saved(await registry.save([flow("etl")]));
    await registry.save([flow("etl", "two")]);
    expect((await registry.get("etl")).version).toBe(2);
    expect((await registry.get("etl@1")).workflow.nodes[0]).toMatchObject({
      with: { command: ["echo", "hi"], shell: false },
    });
    expect((await registry.get(`etl@sha:${first!.hash.slice(0, 8)}`)).version).toBe(1);
    await expect(registry.get("etl@7")).rejects.toThrow("has no version 7 (versions 1 to 2)");
    await expect(registry.get("et")).rejects.toThrow(
      "no workflow named `et` (did you mean `etl`?)",
    );
  });

  it("gives nodes, edges and parameters back in the author's order, which is not part of the hash", async () => {
    const spec = {
      name: "ordered",
      parameters: { zeta: { type: "string" }, alpha: { type: "string" } },
      nodes: [
        { id: "z", kind: "task", handler: "noop" },
        { id: "m", kind: "task", handler: "noop" },
        { id: "a", kind: "task", handler: "noop" },
      ],
      edges: [
        { from: "z", to: "m" },
        { from: "a", to: "m" },
      ],
    };
    const [first] = await saved(await registry.save([WorkflowSchema.parse(spec)]));
    const back = (await registry.get("ordered")).workflow;
    expect(back.nodes.map((n) => n.id)).toEqual(["z", "m", "a"]);
    expect(back.edges.map((e) => e.from)).toEqual(["z", "a"]);
    expect(Object.keys(back.parameters)).toEqual(["zeta", "alpha"]);
    const reordered = {
      ...spec,
      nodes: [...spec.nodes].reverse(),
      edges: [...spec.edges].reverse(),
    };
    expect(await saved(await registry.save([WorkflowSchema.parse(reordered)]))).toEqual([
      { ...first!, created: false },
    ]);
  });

  it("lists workflows most recently updated first", async () => {
    await registry.save([flow("one")]);
    await registry.save([flow("two")]);
    const list = await registry.list();
    expect(list.map((w) => [w.name, w.version, w.nodes, w.updatedBy])).toEqual([
      ["two", 1, 1, "ada"],
      ["one", 1, 1, "ada"],
    ]);
  });
});

describe("deleting", () => {
  it("keeps every version readable, and a later save continues the numbering", async () => {
    await registry.save([flow("old")]);
    await registry.save([flow("old", "b")]);
    expect(await registry.remove("old")).toBe(2);
    expect(await registry.list()).toEqual([]);
    await expect(registry.get("old")).rejects.toThrow(
      "was deleted; its versions are kept: read one as `old@2`",
    );
    expect((await registry.get("old@1")).version).toBe(1);
    await expect(registry.remove("old")).rejects.toThrow(NotFoundError);
    expect((await saved(await registry.save([flow("old", "b")])))[0]!.version).toBe(3);
  });
});

describe("audit", () => {
  it("records who saved, imported and deleted what, from where", async () => {
    await registry.save([flow("a")], { message: "first cut" });
    await registry.save([flow("a", "x")], { action: "import" });
    await registry.remove("a");
    const entries = await readAudit(server.redis, keys);
    expect(entries.map((e) => [e.action, e.workflow, e.version, e.who, e.host])).toEqual([
      ["save", "a", 1, "ada", "box"],
      ["import", "a", 2, "ada", "box"],
      ["delete", "a", 2, "ada", "box"],
    ]);
    expect(entries[0]!.message).toBe("first cut");
    // --since counts in Redis server time, the time in each entry's stream id.
    const firstAt = Number(entries[0]!.id.split("-")[0]);
    expect(await readAudit(server.redis, keys, { sinceMs: firstAt })).toHaveLength(3);
    expect(await readAudit(server.redis, keys, { sinceMs: Date.now() + 60_000 })).toEqual([]);
  });
});

describe("templates", () => {
  it("checks parameters against the pinned version's schema, every problem at once", async () => {
    const template = WorkflowSchema.parse({
      name: "report",
      parameters: {
        region: { type: "enum", enum: ["eu", "us"], required: true },
        days: { type: "integer", default: 7 },
        dry_run: { type: "boolean", default: false },
      },
      nodes: [
        {
          id: "a",
          kind: "task",
          handler: "shell",
          with: { command: ["echo", "${params.region}"] },
        },
      ],
    });
    await registry.save([template]);
    const bad = await registry.instantiate("report@1", { regon: "eu", days: 1.5 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.version).toMatchObject({ name: "report", version: 1 });
      expect(bad.problems.map((p) => p.name).sort()).toEqual(["days", "region", "regon"]);
      expect(bad.problems.find((p) => p.name === "regon")!.hint).toContain("region");
    }
    const good = await registry.instantiate("report", { region: "us" });
    expect(good).toMatchObject({
      ok: true,
      params: { region: "us", days: 7, dry_run: false },
      version: { version: 1 },
    });
    expect(good.version.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
