/**
 * End to end: the real binary in a real terminal (tmux, 80x24, `CI` unset so Ink draws live):
 * open an example, add a node, connect it, save, and find the new version with `weft show`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliOnRedis } from "../support/cli.js";

const root = resolve(import.meta.dirname, "../..");
const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
const { ctx, weft } = cliOnRedis("e2e");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let session = "";
afterEach(() => {
  if (session) spawnSync("tmux", ["kill-session", "-t", session]);
  session = "";
});

const tmux = (...args: string[]) => execFileSync("tmux", args, { encoding: "utf8" });
const screen = () => tmux("capture-pane", "-p", "-t", session);

async function until(text: string | RegExp, timeout = 15_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const shown = screen();
    if (typeof text === "string" ? shown.includes(text) : text.test(shown)) return shown;
    if (Date.now() - start > timeout)
      throw new Error(`timed out waiting for ${String(text)}; the screen:\n${shown}`);
    await sleep(100);
  }
}

async function keys(...k: string[]) {
  for (const key of k) {
    tmux("send-keys", "-t", session, key);
    await sleep(120);
  }
}

describe.skipIf(!hasTmux)("the designer in tmux at 80x24", () => {
  it("opens an example, adds a node, connects it, saves, and the new version is in the store", async () => {
    expect((await weft("import", resolve(root, "examples/data-pipeline.yaml"))).code).toBe(0);
    session = `weft-e2e-${process.pid}`;
    const env = Object.entries({ ...ctx.env, TERM: "xterm-256color", LANG: "C.UTF-8" })
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    tmux(
      "new-session",
      "-d",
      "-s",
      session,
      "-x",
      "80",
      "-y",
      "24",
      `env -u CI ${env} ${process.execPath} ${resolve(root, "bin/weft.js")} design data-pipeline; sleep 30`,
    );
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
    tmux("send-keys", "-t", session, "-l", "notify");
    await keys("Enter");
    await keys("Enter");
    await until("Nodes 8 · Edges 9");
    await keys("F10");
    await until("Save message");
    tmux("send-keys", "-t", session, "-l", "from tmux");
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
