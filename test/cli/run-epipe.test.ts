/**
 * `weft run X --wait | head -1`: the reader of stdout goes away after the first line. The command
 * stops printing, still drives the run to its end (no worker serves the queue, so it runs the
 * nodes itself) and exits without an unhandled EPIPE.
 */
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { cliOnRedis } from "../support/cli.js";

const root = resolve(import.meta.dirname, "../..");
const { ctx, weft, write } = cliOnRedis("epipe");

describe("weft run --wait with its output pipe closed", () => {
  it("drives the run to succeeded and exits cleanly", async () => {
    write(
      "steps.yaml",
      [
        "name: steps",
        "nodes:",
        "  - { id: first, kind: task, handler: shell, with: { command: [sleep, '0.5'] } }",
        "  - { id: second, kind: task, handler: shell, with: { command: [sleep, '0.5'] } }",
        "edges:",
        "  - { from: first, to: second }",
        "",
      ].join("\n"),
    );
    expect((await weft("import", "steps.yaml")).code).toBe(0);
    const child = spawn(process.execPath, [join(root, "bin/weft.js"), "run", "steps", "--wait"], {
      cwd: ctx.dir,
      env: { ...process.env, ...ctx.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((done) => child.once("exit", done));
    // Like `head -1`: read one line, then close the read end of the pipe.
    await new Promise<void>((done) =>
      child.stdout.on("data", (d: Buffer) => {
        if (d.includes("\n")) {
          child.stdout.destroy();
          done();
        }
      }),
    );
    const code = await exited;
    const id = /^run (\S+):/.exec(stderr)?.[1];
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
    expect(id).toBeDefined();
    let status = "";
    for (let i = 0; i < 50 && status !== "succeeded"; i++) {
      status = JSON.parse((await weft("status", id!, "--format", "json")).stdout).fields.status;
      if (status !== "succeeded") await sleep(100);
    }
    expect(status).toBe("succeeded");
  }, 30_000);
});
