/**
 * The designer driven by real keystrokes through ink-testing-library, on a real Redis and the
 * real layout worker: what a person sees in the frames after each key.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { DesignerSession } from "../../src/app/designer/session.js";
import { loadKeymap } from "../../src/config/index.js";
import { type Workflow, WorkflowSchema } from "../../src/spec/index.js";
import { DraftStore } from "../../src/store/index.js";
import type { Start } from "../../src/tui/app.js";
import { appOnRedis } from "../support/app-on-redis.js";

const _root = resolve(import.meta.dirname, "../..");
const KEY = {
  enter: "\r",
  escape: "\x1b",
  down: "\x1b[B",
  up: "\x1b[A",
  right: "\x1b[C",
  tab: "\t",
  backspace: "\x7f",
  f1: "\x1bOP",
  f2: "\x1bOQ",
  f10: "\x1b[21~",
  ctrlS: "\x13",
};

// The designer's sessions as ada on test-host; no worker (nothing here runs).
const app = appOnRedis("d", {
  actor: { user: "ada", host: "test-host" },
  examples: ["examples/data-pipeline.yaml", "examples/daily-etl.yaml"],
  worker: false,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function open(start: Start, size = { width: 100, height: 32 }, who?: DesignerSession) {
  return app.open(start, size, who ? { session: who } : {});
}

async function openPipeline(size?: { width: number; height: number }) {
  const ui = open({ type: "workflow", ref: "data-pipeline" }, size);
  await ui.until("Valid ✓ · Nodes 7 · Edges 7 · v1");
  await ui.until("T Fetch data");
  return ui;
}

describe("the workflow list", () => {
  it("lists stored workflows, filters as you type, finds workflows by the file they came from, and opens one", async () => {
    const ui = open({ type: "list" });
    await ui.until("data-pipeline");
    expect(ui.frame()).toContain("daily-etl");
    expect(ui.frame()).toContain("extract-module");
    await ui.type("pipe");
    await ui.until((f) => f.includes("data-pipeline") && !f.includes("extract-module"));
    await ui.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
    await ui.type("daily-etl.yaml");
    const f = await ui.until((f) => !f.includes("data-pipeline"));
    expect(f).toContain("extract-module");
    expect(f).toContain("join-module");
    await ui.press(KEY.escape);
    await ui.type("data-p");
    await ui.press(KEY.enter);
    await ui.until("Nodes 7 · Edges 7 · v1");
  });

  it("wraps a prompt's hint to the width instead of cutting its keys off (issue 13)", async () => {
    const ui = open({ type: "list" }, { width: 50, height: 20 });
    await ui.until("daily-etl");
    await ui.press("\x0f"); // ctrl+o: import a file
    const f = await ui.until("Import file");
    const flat = f.replace(/\s+/g, " ");
    expect(flat).toContain("Enter imports · Esc cancels");
    for (const line of f.split("\n")) expect([...line].length).toBeLessThanOrEqual(50);
  });

  it("clears the list filter and the help search with ctrl+u (issue 13, problem 11)", async () => {
    const ui = open({ type: "list" });
    const list = await ui.until("data-pipeline");
    // Enter opens the workflow, and the footer says so.
    expect(list).toContain("Enter Open");
    expect(list).not.toContain("Enter Inspect");
    // Letters filter the list: the footer and help name only keys that are commands there.
    expect(list).toContain("F1 Help");
    expect(list).not.toContain("F1/? Help");
    await ui.type("pipe");
    await ui.until((f) => !f.includes("extract-module"));
    await ui.press("\x15"); // ctrl+u
    await ui.until("extract-module");
    await ui.press(KEY.f1);
    const help = await ui.until("weft · help · list");
    expect(help).toMatch(/\^C\s+Quit/);
    expect(help).not.toMatch(/q, \^C/);
    expect(help).not.toContain("F1, ?");
    await ui.type("delete");
    await ui.until((f) => !f.includes("Show help"));
    await ui.press("\x15");
    await ui.until("Show help");
  });

  it("creates, imports and deletes workflows (delete asks first)", async () => {
    const ui = open({ type: "list" });
    await ui.until("data-pipeline");
    await ui.press("\x0f"); // ctrl+o
    await ui.until("Import file");
    await ui.type("examples/order-saga.yaml");
    await ui.press(KEY.enter);
    await ui.until("imported order-saga@1");
    await ui.type("order");
    await ui.press("\x04"); // ctrl+d
    await ui.until("Delete order-saga?");
    await ui.press("n");
    await ui.until("not deleted");
    await ui.press("\x04");
    await ui.press("y");
    await ui.until("deleted order-saga");
    expect(await app.engine.registry.existing(["order-saga"])).toEqual(new Set());
    await ui.press("\x0e"); // ctrl+n
    await ui.type("Bad Name");
    await ui.until("lower case letters");
    for (let i = 0; i < 8; i++) await ui.press(KEY.backspace);
    await ui.type("fresh");
    await ui.press(KEY.enter);
    await ui.until("Empty workflow: press n to add the first node.");
    expect(ui.frame()).toContain("store › fresh");
  });
});

describe("the canvas", () => {
  it("draws the workflow with kind glyphs, the status bar and the footer from the keymap", async () => {
    const ui = await openPipeline();
    const f = ui.frame();
    expect(f).toContain("store › data-pipeline");
    expect(f).toMatch(/T Fetch data/);
    expect(f).toMatch(/D Quality check/);
    expect(f).toContain("F1 Help");
    expect(f).toContain("Properties · Node fetch_data");
  });

  it("parts every inspector label from its value, the longest too, and shows an empty list as —", async () => {
    const ui = await openPipeline({ width: 200, height: 50 });
    const f = await ui.until("continueOn.markSuccess");
    expect(f).toMatch(/continueOn\.markSuccess +false/);
    expect(f).toMatch(/continueOn\.output +—/);
  });

  it("moves the selection with arrows and Tab, finds a node with /, and opens the inspector with Enter", async () => {
    const ui = await openPipeline();
    await ui.press(KEY.down);
    await ui.until("Properties · Node validate");
    await ui.press(KEY.tab);
    await ui.until("Properties · Node transform");
    await ui.press("/");
    await ui.until("Find node:");
    await ui.type("notif");
    await ui.press(KEY.enter);
    await ui.until("Properties · Node notify");
    await ui.press(KEY.enter);
    await ui.until("» Properties");
  });

  it("collapses the side panels at 80x24 and toggles them with keys", async () => {
    const ui = await openPipeline({ width: 80, height: 24 });
    expect(ui.frame()).not.toContain("Properties ·");
    await ui.press("i");
    await ui.until("Properties · Node fetch_data");
    await ui.press("i");
    await ui.until((f) => !f.includes("Properties ·"));
    for (const line of ui.frame().split("\n")) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe("editing", () => {
  it("adds a node after the selection from the palette, undoes and redoes it", async () => {
    const ui = await openPipeline();
    await ui.press("n");
    await ui.until("Add node");
    await ui.press("t");
    await ui.until("Nodes 8 · Edges 8 · v1 (unsaved)");
    await ui.until("task-1");
    await ui.press("u");
    await ui.until("Nodes 7 · Edges 7 · v1");
    expect(ui.frame()).not.toContain("(unsaved)");
    await ui.press("U");
    await ui.until("Nodes 8 · Edges 8 · v1 (unsaved)");
  });

  it("connects two nodes, and refuses an edge that would close a cycle with the reason", async () => {
    const ui = await openPipeline();
    await ui.press("/");
    await ui.until("Find node:");
    await ui.type("notify");
    await ui.press(KEY.enter);
    await ui.press("c");
    await ui.until("connect notify → ?");
    await ui.press("/");
    await ui.until("Find node:");
    await ui.type("fetch_data");
    await ui.press(KEY.enter);
    await ui.until("Properties · Node fetch_data");
    await ui.press(KEY.enter);
    await ui.until("cycle");
    expect(ui.frame()).toContain("Edges 7");
    // A legal edge: a new node, then connect fetch_data -> it.
    await ui.press("n", "t");
    await ui.until("Nodes 8 · Edges 8");
    await ui.press("d");
    await ui.until("Nodes 7 · Edges 7");
  });

  it("renames a node's id (edges follow), duplicates and deletes it", async () => {
    const ui = await openPipeline();
    await ui.press("R");
    await ui.until("Rename fetch_data to");
    for (let i = 0; i < "fetch_data".length; i++) await ui.press(KEY.backspace);
    await ui.type("download");
    await ui.press(KEY.enter);
    await ui.until("Properties · Node download");
    expect(ui.frame()).toContain("Edges 7");
    await ui.press("y");
    await ui.until("Nodes 8");
    await ui.press("d");
    await ui.until("Nodes 7 · Edges 7");
  });

  it("opens the workflow's own properties on w, whatever is selected (issue 13, problem 4)", async () => {
    const ui = await openPipeline({ width: 80, height: 24 });
    await ui.press("w");
    const f = await ui.until("workflow properties");
    expect(f).toContain("Properties · Workflow data-pipeli");
    expect(f).toMatch(/parameters\s+\{"source"/);
    await ui.press(KEY.f1);
    await ui.until("weft · help");
    await ui.type("workflow");
    await ui.until("Workflow properties (parameters, defaults, limits)");
  });

  it("scrolls a node added off-screen into view and says so at 80x24 (issue 13, problem 9)", async () => {
    const ui = await openPipeline({ width: 80, height: 24 });
    await ui.press("/");
    await ui.until("Find node");
    await ui.type("notify");
    await ui.press(KEY.enter);
    await ui.press("n", "t");
    const f = await ui.until("added task-1");
    expect(f).toContain("Enter shows its properties");
    await ui.until((frame) => /T task-1/.test(frame));
  });

  it("keeps a refused rename open with the reason and the text, so later letters never run canvas keys (issue 13, problem 2)", async () => {
    const ui = await openPipeline({ width: 80, height: 24 });
    await ui.press("R");
    await ui.until("Rename fetch_data to");
    for (let i = 0; i < "fetch_data".length; i++) await ui.press(KEY.backspace);
    await ui.type("notify");
    await ui.until("`notify` is the id of another node");
    await ui.press(KEY.enter);
    // Still the prompt: the typing goes on into it, and `d` deletes no node.
    await ui.type(" bad id!");
    await ui.until("Rename fetch_data to: notify bad id!");
    expect(ui.frame()).toContain("is not a valid id");
    expect(ui.frame()).toContain("Nodes 7 · Edges 7");
    await ui.press(KEY.escape);
    await ui.until((f) => !f.includes("Rename fetch_data"));
    expect(ui.frame()).toContain("Nodes 7 · Edges 7 · v1");
  });

  it("edits fields in the inspector: text, picker, toggle; a CEL field is checked as it is typed", async () => {
    const ui = await openPipeline();
    await ui.press(KEY.enter); // inspector on fetch_data
    await ui.until("» Properties");
    // Go to `timeout` and set it.
    for (let i = 0; i < 30 && !/›timeout/.test(ui.frame()); i++) await ui.press(KEY.down);
    await ui.press(KEY.enter);
    await ui.until("timeout:");
    for (let i = 0; i < 4; i++) await ui.press(KEY.backspace);
    await ui.type("90s");
    await ui.press(KEY.enter);
    await ui.until("timeout set");
    expect(ui.frame()).toMatch(/timeout\s+90s/);
    // The backoff picker.
    for (let i = 0; i < 30 && !/›retries\.backoff/.test(ui.frame()); i++) await ui.press(KEY.down);
    await ui.press(KEY.enter);
    await ui.until("↑↓ choose");
    await ui.press(KEY.down, KEY.enter);
    await ui.until(/retries\.backoff\s+fixed/.source.length > 0 ? "retries.backoff set" : "");
    // The decision's condition: a CEL error shows its column while typing.
    await ui.press(KEY.escape);
    await ui.press("/");
    await ui.until("Find node:");
    await ui.type("quality_check");
    await ui.press(KEY.enter, KEY.enter);
    for (let i = 0; i < 10 && !/›condition/.test(ui.frame()); i++) await ui.press(KEY.down);
    await ui.press(KEY.enter);
    await ui.until("condition:");
    await ui.type(" &&");
    await ui.until("column");
    await ui.press(KEY.escape);
    await ui.until((f) => !f.includes("column"));
  });

  it("lists validator findings live and Enter jumps to the node", async () => {
    const ui = await openPipeline();
    await ui.press("/");
    await ui.until("Find node:");
    await ui.type("quality_check");
    await ui.press(KEY.enter);
    await ui.until("Properties · Node quality_check");
    // A third branch out of a decision is not wired: the node is added on its own.
    await ui.press("n", "t");
    await ui.until("Nodes 8 · Edges 7");
    await ui.press("u");
    await ui.until("Nodes 7 · Edges 7");
    // Walk the decision's edges and delete its false branch: the validator objects.
    await ui.press("/");
    await ui.until("Find node:");
    await ui.type("quality_check");
    await ui.press(KEY.enter, "E");
    await ui.until("edge quality_check → store_primary");
    await ui.press("E");
    await ui.until("edge quality_check → store_backup");
    await ui.press("d");
    const broken = await ui.until(/(\d+ errors?|\d+ warnings?\)) · Nodes 7 · Edges 6/);
    expect(broken).toContain("(unsaved)");
    await ui.press("v");
    await ui.until("» Validator");
    expect(ui.frame()).toContain("quality_check");
    await ui.press(KEY.enter);
    await ui.until("» Properties · Node quality_check");
  });
});

describe("saving", () => {
  it("saves a new version with a message (F10 or ctrl+s), and says so when nothing changed", async () => {
    const ui = await openPipeline();
    await ui.press(KEY.f10);
    await ui.until("Save message");
    await ui.type("nothing");
    await ui.press(KEY.enter);
    await ui.until("no changes");
    await ui.press("n", "t");
    await ui.until("(unsaved)");
    await ui.press(KEY.ctrlS);
    await ui.type("add a step");
    await ui.press(KEY.enter);
    await ui.until("saved data-pipeline as v2");
    await ui.until("Nodes 8 · Edges 8 · v2");
    const v2 = await app.engine.registry.get("data-pipeline");
    expect(v2.version).toBe(2);
    expect(v2.message).toBe("add a step");
    expect(v2.workflow.nodes.map((n) => n.id)).toContain("task-1");
  });

  it("shows a conflict with the other person's changes and saves under a new name", async () => {
    const ui = await openPipeline();
    await ui.press("n", "t");
    await ui.until("(unsaved)");
    // Someone else saves a version meanwhile.
    const theirs = app.sessionFor("grace");
    const current = (await app.engine.registry.get("data-pipeline")).workflow;
    const changed: Workflow = WorkflowSchema.parse({ ...current, description: "grace was here" });
    const result = await theirs.save([changed], new Map([["data-pipeline", 1]]), "grace's edit");
    expect(result.kind).toBe("saved");
    await ui.press(KEY.ctrlS);
    await ui.type("mine");
    await ui.press(KEY.enter);
    await ui.until("saved by grace");
    expect(ui.frame()).toContain("description");
    await ui.press("s");
    await ui.until("Save as new workflow");
    // The name is checked as it is typed: a refused one keeps the prompt and its text.
    await ui.type(" X");
    await ui.until("a name uses lower-case letters");
    await ui.press(KEY.enter);
    await ui.until("Save as new workflow: data-pipeline-copy X");
    await ui.press(KEY.backspace, KEY.backspace);
    await ui.press(KEY.enter);
    await ui.until("saved data-pipeline-copy as v1");
    expect((await app.engine.registry.get("data-pipeline-copy")).workflow.nodes).toHaveLength(8);
    expect((await app.engine.registry.get("data-pipeline")).workflow.description).toBe(
      "grace was here",
    );
  });

  it("keeps unsaved edits as a draft in Redis and offers them on the next open", async () => {
    const ui = await openPipeline();
    await ui.press("n", "t");
    await ui.until("(unsaved)");
    await sleep(1300);
    ui.unmount();
    const again = open({ type: "workflow", ref: "data-pipeline" });
    await again.until("You have unsaved changes to data-pipeline");
    await again.press("y");
    await again.until("Nodes 8 · Edges 8 · v1 (unsaved)");
  });

  it("keeps the draft on Esc or a stray key, discards it only with d, and shows every choice at 80 columns (issue 13, problem 1)", async () => {
    const ui = await openPipeline();
    await ui.press("n", "t");
    await ui.until("(unsaved)");
    await sleep(500);
    ui.unmount();
    for (const key of [KEY.escape, KEY.enter, "x"]) {
      const again = open({ type: "workflow", ref: "data-pipeline" }, { width: 80, height: 24 });
      const prompt = await again.until("You have unsaved changes to data-pipeline");
      // Wrapped, never cut: who, where, how old, what differs, and every choice.
      const flat = prompt.replace(/\s+/g, " ");
      expect(flat).toMatch(/by ada on \S+, \d+ s ago .*: 1 node added, 1 edge added\./);
      expect(flat).toContain(
        "y restores them · d discards them · Esc (or any other key) keeps them for later",
      );
      await again.press(key);
      await again.until("draft kept");
      again.unmount();
    }
    const last = open({ type: "workflow", ref: "data-pipeline" }, { width: 80, height: 24 });
    await last.until("You have unsaved changes to data-pipeline");
    await last.press("d");
    await last.until("draft discarded");
    last.unmount();
    await sleep(100);
    const clean = open({ type: "workflow", ref: "data-pipeline" });
    await clean.until("Nodes 7 · Edges 7 · v1");
    expect(clean.frame()).not.toContain("unsaved changes");
  });

  it("forgets a draft once the edits are undone back to the saved version (issue 13, problem 6)", async () => {
    const ui = await openPipeline();
    await ui.press("n", "t");
    await ui.until("(unsaved)");
    await sleep(500);
    expect(
      await new DraftStore(app.server.redis, app.keys, "ada").get("data-pipeline"),
    ).toBeDefined();
    await ui.press("u");
    await ui.until((f) => f.includes("Nodes 7 · Edges 7 · v1") && !f.includes("(unsaved)"));
    await sleep(300);
    ui.unmount();
    expect(
      await new DraftStore(app.server.redis, app.keys, "ada").get("data-pipeline"),
    ).toBeUndefined();
    const again = open({ type: "workflow", ref: "data-pipeline" });
    await again.until("Nodes 7 · Edges 7 · v1");
    expect(again.frame()).not.toContain("unsaved changes");
  });

  it("exports to YAML and opens a past version read-only with a diff", async () => {
    const ui = await openPipeline();
    await ui.press("n", "t", KEY.ctrlS);
    await ui.type("v2");
    await ui.press(KEY.enter);
    await ui.until("as v2");
    const dir = mkdtempSync(join(tmpdir(), "weft-export-"));
    await ui.press("e");
    await ui.until("Export to");
    for (let i = 0; i < 20; i++) await ui.press(KEY.backspace);
    await ui.type(join(dir, "out.yaml"));
    await ui.press(KEY.enter);
    await ui.until("exported data-pipeline");
    expect(existsSync(join(dir, "out.yaml"))).toBe(true);
    expect(readFileSync(join(dir, "out.yaml"), "utf8")).toContain("task-1");
    await ui.press("V");
    await ui.until("Versions of data-pipeline");
    await ui.press(KEY.up, "=");
    await ui.until("Diff data-pipeline@1");
    expect(ui.frame()).toContain("task-1");
    await ui.press(KEY.escape, "V", KEY.up, KEY.enter);
    await ui.until("Read-only Canvas");
    await ui.press("n");
    await ui.until("read-only");
    await ui.press(KEY.escape);
    await ui.until("back to your edit");
  });
});

describe("multi-workflow files and sub-workflows", () => {
  it("shows the breadcrumb, switches between the workflows, and enters a sub-workflow node", async () => {
    const ui = open({ type: "file", path: "examples/daily-etl.yaml" });
    await ui.until("examples/daily-etl.yaml › daily-etl");
    expect(ui.frame()).toContain("(1/3");
    await ui.press("]");
    await ui.until("examples/daily-etl.yaml › extract-module");
    await ui.press("[");
    await ui.until("examples/daily-etl.yaml › daily-etl");
    // Enter on a sub-workflow node opens the child; Backspace returns.
    const parent = WorkflowSchema.parse((await app.engine.registry.get("daily-etl")).workflow);
    const sub = parent.nodes.find((n) => n.kind === "subworkflow")!;
    await ui.press("/");
    await ui.until("Find node:");
    await ui.type(sub.id);
    await ui.press(KEY.enter, KEY.enter);
    await ui.until("daily-etl › extract-module");
    await ui.press(KEY.backspace);
    await ui.until((f) => f.includes("daily-etl.yaml › daily-etl") && !f.includes("› extract"));
  });
});

describe("help and quitting", () => {
  it("shows help generated from the keymap, searchable", async () => {
    const ui = await openPipeline();
    await ui.press(KEY.f1);
    await ui.until("weft · help");
    expect(ui.frame()).toContain("Canvas");
    await ui.type("connect");
    await ui.until((f) => f.includes("Connect the selection") && !f.includes("Undo"));
    await ui.press(KEY.escape);
    await ui.until("Nodes 7");
  });

  it("names in its hints the keys of the keymap in use, not the default ones (issue 13)", async () => {
    const base = loadKeymap("default");
    // Esc's command also on ctrl+g, listed first; inspect on ctrl+o first, in every context.
    const keymap = {
      ...base,
      bindings: base.bindings.map((b) =>
        b.command === "back"
          ? { ...b, keys: ["ctrl+g", ...b.keys] }
          : b.command === "inspect"
            ? { ...b, keys: ["ctrl+o", ...b.keys] }
            : b,
      ),
    };
    const ui = app.open(
      { type: "workflow", ref: "data-pipeline" },
      { width: 80, height: 24 },
      { keymap },
    );
    await ui.until("T Fetch data");
    expect(ui.frame()).toContain("^G Back");
    await ui.press("c");
    await ui.until("connect fetch_data → ? move to the target node and press ^O (^G cancels)");
    await ui.press("\x07", "n", "t");
    await ui.until("added task-1 (selected: ^O shows its properties)");
  });

  it("marks what the connected role may not do, and refuses it in the footer (issue 12, problem 7)", async () => {
    const operator = app.sessionFor("ada", "weft-operator");
    const ui = open(
      { type: "workflow", ref: "data-pipeline" },
      { width: 160, height: 40 },
      operator,
    );
    await ui.until("Nodes 7 · Edges 7 · v1");
    await ui.press(KEY.f1);
    await ui.until("weft · help");
    await ui.type("save");
    await ui.until("unavailable: not allowed: weft-operator may not save workflows");
    await ui.press(KEY.escape);
    await ui.until("Nodes 7");
    await ui.press("n", "t");
    await ui.until("(unsaved)");
    await ui.press(KEY.ctrlS);
    await ui.type("try");
    await ui.press(KEY.enter);
    await ui.until("not allowed: weft-operator may not save workflows");
    expect((await app.engine.registry.get("data-pipeline")).version).toBe(1);
  });

  it("asks before quitting with unsaved changes", async () => {
    const ui = await openPipeline();
    await ui.press("n", "t");
    await ui.until("(unsaved)");
    await ui.press("q");
    await ui.until("Quit? y quits");
    await ui.press("n");
    await ui.until((f) => !f.includes("Quit?"));
  });
});
