/**
 * End to end: the real binary in a real terminal (tmux, 80x24, `CI` unset so Ink draws live):
 * open an example, add a node, connect it, save, and find the new version with `weft show`.
 */
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
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
