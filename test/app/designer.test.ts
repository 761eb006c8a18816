import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DesignerSession } from "../../src/app/designer/session.js";
import {
  applyCommand,
  breadcrumb,
  createWorkspace,
  currentEditor,
  cycle,
  dirtyEditors,
  enter,
  leave,
} from "../../src/app/designer/workspace.js";
import {
  checkCelText,
  edgeRows,
  editText,
  nodeRows,
  parseFieldText,
  splitItems,
} from "../../src/app/editor/field-list.js";
import { type Workflow, WorkflowSchema } from "../../src/spec/index.js";
import { DraftStore, LayoutCache, storeKeys, WorkflowRegistry } from "../../src/store/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";

const wf = (name: string, extra: Record<string, unknown> = {}): Workflow =>
  WorkflowSchema.parse({
    name,
    parameters: { limit: { type: "number", default: 3 } },
    nodes: [
      { id: "a", kind: "task", handler: "shell", with: { command: ["echo", "hi"] } },
      { id: "gate", kind: "decision", condition: "params.limit > 2" },
      { id: "b", kind: "subworkflow", workflow: "child" },
    ],
    edges: [
      { from: "a", to: "gate" },
      { from: "gate", to: "b", condition: true },
    ],
    ...extra,
  });

describe("the inspector's rows", () => {
  it("lists every field of a task, with pickers for handler and backoff and the handler's args", () => {
    const rows = nodeRows(wf("x").nodes[0]!);
    const labels = rows.map((r) => r.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        "id",
        "handler",
        "with.command",
        "with.cwd",
        "timeout",
        "retries.max",
        "retries.backoff",
        "continueOnFailure",
      ]),
    );
    expect(rows.find((r) => r.label === "handler")!.choices).toContain("http");
    expect(rows.find((r) => r.label === "retries.backoff")!.choices).toEqual([
      "fixed",
      "exponential",
    ]);
  });

  it("gives a decision's edges a true/false picker", () => {
    const w = wf("x");
    const rows = edgeRows(w.edges[1]!, w.nodes[1]);
    expect(rows.find((r) => r.label === "branch")!.choices).toEqual(["true", "false"]);
  });

  it("turns typed text into values and says why when it cannot", () => {
    const rows = nodeRows(wf("x").nodes[0]!);
    const field = (label: string) => rows.find((r) => r.label === label)!;
    expect(parseFieldText(field("retries.max"), "3")).toEqual({ ok: true, value: 3 });
    expect(parseFieldText(field("retries.max"), "three")).toEqual({
      ok: false,
      reason: "`three` is not a number",
    });
    expect(parseFieldText(field("with.command"), 'sh -c "echo hi there"')).toEqual({
      ok: true,
      value: ["sh", "-c", "echo hi there"],
    });
    expect(parseFieldText(field("timeout"), "")).toEqual({ ok: true, value: undefined });
    // Codes that abort the run are numbers where they look like numbers.
    expect(parseFieldText(field("retries.abortOn"), "42 declined")).toEqual({
      ok: true,
      value: [42, "declined"],
    });
    expect(splitItems('a "b')).toBe("unclosed quote at column 2");
    expect(splitItems('"say \\"hi\\"" "a\\\\b" "\\d+"')).toEqual(['say "hi"', "a\\b", "\\d+"]);
    // What the editor shows a list as reads back as the same list.
    const items = ["a b", 'say "x"', "re:^\\d+ done$", "c:\\dir\\", ""];
    expect(splitItems(editText({ ...field("continueOn.output"), value: items }))).toEqual(items);
    // continueOn: codes are numbers where they look like numbers; patterns are checked as typed.
    expect(parseFieldText(field("continueOn.codes"), "3 ETIMEDOUT")).toEqual({
      ok: true,
      value: [3, "ETIMEDOUT"],
    });
    expect(parseFieldText(field("continueOn.output"), 'WARN "re:^done \\d+$"')).toEqual({
      ok: true,
      value: ["WARN", "re:^done \\d+$"],
    });
    expect(parseFieldText(field("continueOn.output"), "ok re:(")).toEqual({
      ok: false,
      reason: "`re:(`: /(/: Unterminated group",
    });
  });

  it("checks a CEL field as it is typed, with the column", () => {
    const w = wf("x");
    expect(checkCelText(w, "params.limit > 2")).toBeUndefined();
    const problem = checkCelText(w, "params.limit >");
    expect(problem?.column).toBeGreaterThan(1);
    expect(checkCelText(w, "params.nope == 1")?.message).toContain("nope");
  });
});

describe("the workspace", () => {
  it("enters a child, shows the breadcrumb, returns, and cycles through the file's workflows", () => {
    let ws = createWorkspace("flows.yaml", [{ workflow: wf("parent"), version: 2 }]);
    ws = enter(ws, { workflow: WorkflowSchema.parse({ name: "child" }), version: 0 });
    expect(breadcrumb(ws)).toBe("flows.yaml › parent › child");
    const back = leave(ws)!;
    expect(breadcrumb(back)).toBe("flows.yaml › parent");
    expect(leave(back)).toBeUndefined();
    expect(currentEditor(cycle(back, 1)).workflow.name).toBe("child");
    expect(currentEditor(cycle(back, -1)).workflow.name).toBe("child");
  });

  it("knows which workflows have unsaved edits", () => {
    let ws = createWorkspace("store", [{ workflow: wf("p"), version: 1 }]);
    expect(dirtyEditors(ws)).toHaveLength(0);
    ws = applyCommand(ws, { type: "addNode", kind: "task", after: "a" });
    expect(dirtyEditors(ws).map((d) => d.workflow.name)).toEqual(["p"]);
    ws = applyCommand(ws, { type: "undo" });
    expect(dirtyEditors(ws)).toHaveLength(0);
  });
});

describe("the designer's session on a real Redis", () => {
  let server: TestRedis;
  let n = 0;
  let mk: (user: string) => DesignerSession;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    const keys = storeKeys(`s${++n}`);
    mk = (user) =>
      new DesignerSession({
        registry: new WorkflowRegistry(server.redis, keys, { user, host: "h" }),
        drafts: new DraftStore(server.redis, keys, user),
        layouts: new LayoutCache(server.redis, keys),
        actor: { user, host: "h" },
      });
  });

  const child = WorkflowSchema.parse({
    name: "child",
    nodes: [{ id: "c", kind: "task", handler: "noop" }],
  });

  it("saves, dedups, and explains a conflict with the other person's changes", async () => {
    const ada = mk("ada");
    const grace = mk("grace");
    expect((await ada.save([child, wf("p")], new Map(), "first")).kind).toBe("saved");
    expect((await ada.save([wf("p")], new Map([["p", 1]]), "again")).kind).toBe("unchanged");
    const theirs = await grace.save(
      [wf("p", { description: "grace's" })],
      new Map([["p", 1]]),
      "g",
    );
    expect(theirs.kind).toBe("saved");
    const mine = await ada.save([wf("p", { description: "ada's" })], new Map([["p", 1]]), "a");
    expect(mine.kind).toBe("conflict");
    if (mine.kind !== "conflict") return;
    expect(mine.message).toContain("grace");
    expect(mine.theirs.version).toBe(2);
    expect(JSON.stringify(mine.diff)).toContain("grace's");
  });

  it("keeps a draft per user and offers it with the workflow; saving drops it", async () => {
    const ada = mk("ada");
    await ada.save([child, wf("p")], new Map(), "first");
    const edited = wf("p", { description: "half done" });
    await ada.saveDraft(edited, 1, "laptop");
    expect((await mk("grace").open("p")).draft).toBeUndefined();
    const opened = await ada.open("p");
    expect(opened.draft?.workflow.description).toBe("half done");
    expect(opened.draft?.baseVersion).toBe(1);
    await ada.save([edited], new Map([["p", 1]]), "done");
    expect((await ada.open("p")).draft).toBeUndefined();
  });

  it("opens a workflow with the workflows it calls, and caches positions by content hash", async () => {
    const ada = mk("ada");
    await ada.save([child, wf("p")], new Map(), "first");
    const family = await ada.openFamily("p");
    expect(family.children.map((c) => c.name)).toEqual(["child"]);
    await ada.cacheLayout("abc", "down-full", { boxes: [1] });
    expect(await ada.cachedLayout("abc", "down-full")).toEqual({ boxes: [1] });
    expect(await ada.cachedLayout("abc", "right-full")).toBeUndefined();
  });

  it("imports a file and reports a missing one as a finding", async () => {
    const ada = mk("ada");
    const missing = await ada.importFile("no/such.yaml", "/tmp");
    expect(missing.ok).toBe(false);
    expect(missing.findings[0]!.message).toContain("no such file");
  });

  it("refuses a directory or a device as a file to import or open, without reading it", async () => {
    const ada = mk("ada");
    const dir = await ada.importFile("tmp", "/");
    expect(dir.findings[0]!.message).toBe("tmp: is a directory, not a regular file");
    const device = await ada.importFile("zero", "/dev");
    expect(device.findings[0]!.message).toBe("zero: is a character device, not a regular file");
    await expect(ada.openFile("zero", "/dev")).rejects.toThrow(
      "zero: is a character device, not a regular file",
    );
  });
});
