/**
 * `weft worker` through a Redis outage of 5 s while its shell node runs: it waits for Redis,
 * reports the node's result when Redis is back, and does not exit (it used to exit 70 with
 * `internal error: MaxRetriesPerRequestError` after 0.3 s).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWeft } from "../support/cli.js";
import { type RestartableRedis, startRestartableRedis } from "../support/redis-restart.js";

const root = resolve(import.meta.dirname, "../..");
let server: RestartableRedis;
let dir: string;
beforeAll(async () => {
  server = await startRestartableRedis();
  dir = mkdtempSync(join(tmpdir(), "weft-worker-outage-"));
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("a worker while Redis is down for 5 s", () => {
  it("keeps running and finishes the run when Redis is back", async () => {
    const env = { REDIS_URL: server.url, WEFT_PREFIX: "wo", WEFT_USER: "ada" };
    const weft = (...argv: string[]) => runWeft(argv, { cwd: dir, env });
    writeFileSync(
      join(dir, "nap.yaml"),
      [
        "name: nap",
        "nodes:",
        "  - { id: nap, kind: task, handler: shell, with: { command: [sleep, '1'] } }",
        "  - { id: after, kind: task, handler: noop }",
        "edges:",
        "  - { from: nap, to: after }",
        "",
      ].join("\n"),
    );
    expect((await weft("import", "nap.yaml")).code).toBe(0);
    const worker = spawn(process.execPath, [join(root, "bin/weft.js"), "worker", "--verbose"], {
      cwd: dir,
      env: { ...process.env, ...env, NO_COLOR: "1" },
    });
    let output = "";
    worker.stdout.on("data", (d) => {
      output += d;
    });
    worker.stderr.on("data", (d) => {
      output += d;
    });
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((done) =>
      worker.once("exit", (code) => {
        exitCode = code;
        done();
      }),
    );
    try {
      while (!output.includes("concurrency")) await sleep(20);
      const id = (await weft("run", "nap")).stdout.trim();
      while (!output.includes("nap  running")) await sleep(20);
      await server.kill();
      await sleep(5_000);
      expect(exitCode).toBeUndefined();
      await server.start();
      let status = "";
      for (let i = 0; i < 150 && status !== "succeeded"; i++) {
        await sleep(100);
        status = JSON.parse((await weft("status", id, "--format", "json")).stdout).fields.status;
      }
      expect(status).toBe("succeeded");
      expect(exitCode).toBeUndefined();
      expect(output).not.toContain("internal error");
    } finally {
      worker.kill("SIGTERM");
      await exited;
    }
  }, 40_000);
});
