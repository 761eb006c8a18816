/**
 * End to end: the real binary in a real terminal (tmux, 80x24, `CI` unset so Ink draws live):
 * open an example, add a node, connect it, save, and find the new version with `weft show`.
 */
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DraftStore, storeKeys } from "../../src/store/index.js";
import { cliOnRedis } from "../support/cli.js";
import { hasTmux, type TmuxWeft, tmuxWeft } from "../support/tmux.js";

const root = resolve(import.meta.dirname, "../..");
const { ctx, weft } = cliOnRedis("e2e");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let term: TmuxWeft | undefined;
afterEach(() => {
  term?.kill();
  term = undefined;
});

describe.skipIf(!hasTmux)("the designer in tmux at 80x24", () => {
  it("opens an example, adds a node, connects it, saves, and the new version is in the store", async () => {
    expect((await weft("import", resolve(root, "examples/data-pipeline.yaml"))).code).toBe(0);
    term = tmuxWeft(["design", "data-pipeline"], ctx.env);
    const { until, keys, screen } = term;
    const first = await until("Nodes 7 · Edges 7 · v1");
    expect(first).toContain("store › data-pipeline");
    for (const line of first.split("\n")) expect(line.length).toBeLessThanOrEqual(80);

    await keys("n");
    await until("Add node");
    await keys("t");
    await until("Nodes 8 · Edges 8 · v1 (unsaved)");
    // Connect the new node to `notify`: c, find the target, Enter.
    await keys("c");
    await until("connect task-1");
    await keys("/");
    await until("Find node");
    term.type("notify");
    await keys("Enter");
    await keys("Enter");
    await until("Nodes 8 · Edges 9");
    await keys("F10");
    await until("Save message");
    term.type("from tmux");
    await keys("Enter");
    await until("saved data-pipeline as v2");
    await keys("q");
    // The designer leaves the alternate screen on exit: its status bar is gone.
    for (let i = 0; i < 50 && screen().includes("Nodes 8"); i++) await sleep(100);
    expect(screen()).not.toContain("Nodes 8");

    const shown = await weft("show", "data-pipeline");
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("task-1");
    const versions = await weft("versions", "data-pipeline");
    expect(versions.stdout).toContain("from tmux");
  });
});

describe.skipIf(!hasTmux)("a hang-up right after an edit (issue 13, problem 7)", () => {
  for (const size of [
    { columns: 80, rows: 24 },
    { columns: 200, rows: 50 },
  ])
    it(`keeps the edit as a draft at ${size.columns}x${size.rows}`, async () => {
      expect((await weft("import", resolve(root, "examples/data-pipeline.yaml"))).code).toBe(0);
      term = tmuxWeft(["design", "data-pipeline"], ctx.env, size);
      await term.until("Nodes 7 · Edges 7 · v1");
      // Add a task and hang up at once, well inside the draft's 200 ms: only the hang-up writes it.
      term.type("nt");
      for (let i = 0; i < 300 && !term.screen().includes("(unsaved)"); i++) await sleep(5);
      term.kill();
      const drafts = new DraftStore(ctx.server.redis, storeKeys(ctx.env.WEFT_PREFIX), "ada");
      let draft: Awaited<ReturnType<DraftStore["get"]>>;
      for (let i = 0; i < 60 && !draft; i++) {
        draft = await drafts.get("data-pipeline");
        if (!draft) await sleep(50);
      }
      expect((draft?.workflow as { nodes: unknown[] } | undefined)?.nodes).toHaveLength(8);
    });
});

describe.skipIf(!hasTmux)("--ascii (issue 13, problem 11)", () => {
  it("puts nothing but ASCII on the screen, in the designer, its help and the list", async () => {
    expect((await weft("import", resolve(root, "examples/data-pipeline.yaml"))).code).toBe(0);
    term = tmuxWeft(["design", "--ascii", "data-pipeline"], ctx.env);
    const screens = [await term.until("Nodes 7")];
    await term.keys("F1");
    screens.push(await term.until("help"));
    await term.keys("Escape", "q");
    for (const screen of screens) expect(screen.replace(/[\x20-\x7e\n]/g, "")).toBe("");
  });
});
