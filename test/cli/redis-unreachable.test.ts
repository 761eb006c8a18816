/**
 * Redis away, seen from the command line: every command that needs it says so in one line with
 * the URL (password masked) and exits 2, never a stack trace; `weft run --wait` rides out a
 * restart of Redis in the middle of its run and ends it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeStrayFailure } from "../../src/cli/stray-failures.js";
import { connectTo } from "../../src/store/index.js";
import { runWeft } from "../support/cli.js";
import { type RestartableRedis, startRestartableRedis } from "../support/redis-restart.js";

const root = resolve(import.meta.dirname, "../..");
const RUN_ID = "01JD3K2M8Q0000000000000000";
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "weft-unreach-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const commands: [string, string[]][] = [
  ["run", ["run", "hello"]],
  ["run --wait", ["run", "hello", "--wait"]],
  ["ls", ["ls"]],
  ["runs", ["runs"]],
  ["status", ["status", RUN_ID]],
  ["events --follow", ["events", RUN_ID, "--follow"]],
  ["worker", ["worker"]],
];

describe("a command that cannot reach Redis", () => {
  for (const [name, argv] of commands) {
    it(`weft ${name}: one line with the masked URL, exit 2`, async () => {
      const r = await runWeft(argv, {
        cwd: dir,
        env: { REDIS_URL: "redis://weft:s3cret@127.0.0.1:1/0" },
      });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(
        /^weft: Redis unreachable at redis:\/\/weft:\*\*\*@127\.0\.0\.1:1\/0: connect ECONNREFUSED 127\.0\.0\.1:1\n$/,
      );
      expect(r.stderr).not.toContain("s3cret");
    });
  }

  it("on a unix socket that is gone: one line naming the socket", async () => {
    const socket = join(dir, "nothing.sock");
    const r = await runWeft(["ls"], { cwd: dir, env: { REDIS_URL: `unix://${socket}` } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `weft: Redis unreachable at unix://${socket}: connect ENOENT ${socket}\n`,
    );
  });

  it("when Redis goes away in the middle of a command, the failure that escapes is one line too", async () => {
    const server = await startRestartableRedis();
    try {
      const connection = await connectTo(server.url);
      await server.kill();
      const lost = await connection.redis.get("x").then(
        () => undefined,
        (e: unknown) => e,
      );
      await connection.close();
      const report = await describeStrayFailure(lost, { REDIS_URL: server.url });
      expect(report).toEqual({
        line: `weft: Redis unreachable at ${server.url}: the connection was lost`,
        exitCode: 2,
      });
    } finally {
      await server.stop();
    }
  });
});

describe("weft run --wait during a Redis restart", () => {
  let server: RestartableRedis;
  beforeAll(async () => {
    server = await startRestartableRedis();
  });
  afterAll(() => server.stop());

  it("waits for Redis, finishes the run and exits 0 with no stack trace", async () => {
    const env = { REDIS_URL: server.url, WEFT_PREFIX: "outage", WEFT_USER: "ada" };
    writeFileSync(
      join(dir, "slow.yaml"),
      [
        "name: slow",
        "nodes:",
        "  - { id: nap, kind: task, handler: shell, with: { command: [sleep, '1.5'] } }",
        "  - { id: after, kind: task, handler: noop }",
        "edges:",
        "  - { from: nap, to: after }",
        "",
      ].join("\n"),
    );
    expect((await runWeft(["import", "slow.yaml"], { cwd: dir, env })).code).toBe(0);
    const child = spawn(process.execPath, [join(root, "bin/weft.js"), "run", "slow", "--wait"], {
      cwd: dir,
      env: { ...process.env, ...env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((done) => child.once("exit", done));
    while (!stdout.includes("nap  running")) await sleep(20);
    await server.kill();
    await sleep(1_000);
    await server.start();
    expect(await exited).toBe(0);
    expect(stdout).toContain("run succeeded");
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain("Error");
  }, 30_000);
});
