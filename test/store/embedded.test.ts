import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WorkflowSchema } from "../../src/spec/index.js";
import { isAlive } from "../../src/store/embedded.js";
import {
  connectStore,
  embeddedPaths,
  embeddedStatus,
  ensureEmbeddedRedis,
  RedisMissingError,
  stopEmbeddedRedis,
  storeKeys,
  WorkflowRegistry,
} from "../../src/store/index.js";

let home: string;
beforeEach(() => {
  // Short paths: a unix socket path must stay under 108 bytes.
  home = mkdtempSync(join(tmpdir(), "wh-"));
});
afterEach(async () => {
  await stopEmbeddedRedis(home);
  rmSync(home, { recursive: true, force: true });
});

const env = () => ({ WEFT_HOME: home, WEFT_USER: "ada" });

describe("the embedded Redis", () => {
  it("starts on a private socket with no TCP port, in a 0700 directory, with AOF on", async () => {
    const server = await ensureEmbeddedRedis(home);
    expect(server.started).toBe(true);
    expect(statSync(server.paths.dir).mode & 0o777).toBe(0o700);
    const conn = await connectStore(env());
    try {
      const config = await conn.redis.config("GET", "*");
      const get = (k: string) => (config as string[])[(config as string[]).indexOf(k) + 1];
      expect([get("port"), get("appendonly"), get("appendfsync"), get("unixsocketperm")]).toEqual([
        "0",
        "yes",
        "everysec",
        "700",
      ]);
    } finally {
      await conn.close();
    }
  });

  it("is reused by the next process, and two starting at once share one server", async () => {
    const [a, b] = await Promise.all([ensureEmbeddedRedis(home), ensureEmbeddedRedis(home)]);
    expect([a.started, b.started].sort()).toEqual([false, true]);
    expect(a.pid).toBe(b.pid);
    const again = await ensureEmbeddedRedis(home);
    expect(again).toMatchObject({ started: false, pid: a.pid });
  });

  it("cleans a stale pidfile and socket left by a crash", async () => {
    const paths = embeddedPaths(home);
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    writeFileSync(paths.pidfile, "999999\n");
    writeFileSync(paths.socket, "");
    const server = await ensureEmbeddedRedis(home);
    expect(server.started).toBe(true);
    expect(server.pid).not.toBe(999999);
  });

  it("comes back with the data intact after redis-server is killed with -9", async () => {
    const conn = await connectStore(env());
    const registry = new WorkflowRegistry(conn.redis, storeKeys(), { user: "ada", host: "box" });
    const saved = await registry.save([
      WorkflowSchema.parse({ name: "kept", nodes: [{ id: "a", kind: "task", handler: "noop" }] }),
    ]);
    expect(saved.ok).toBe(true);
    await conn.close();
    const { pid } = await embeddedStatus(home);
    process.kill(pid!, "SIGKILL");
    while (isAlive(pid!)) await sleep(10);
    const next = await connectStore(env());
    try {
      expect(next.embedded?.started).toBe(true);
      const again = new WorkflowRegistry(next.redis, storeKeys(), { user: "ada", host: "box" });
      expect((await again.get("kept")).version).toBe(1);
    } finally {
      await next.close();
    }
  });

  it("stops cleanly and reports status", async () => {
    await ensureEmbeddedRedis(home);
    expect((await embeddedStatus(home)).running).toBe(true);
    expect(await stopEmbeddedRedis(home)).toBe(true);
    expect((await embeddedStatus(home)).running).toBe(false);
    expect(existsSync(embeddedPaths(home).socket)).toBe(false);
    expect(await stopEmbeddedRedis(home)).toBe(false);
  });

  it("says how to install redis-server when it is missing", async () => {
    const path = process.env.PATH;
    process.env.PATH = join(home, "empty-bin");
    try {
      await expect(ensureEmbeddedRedis(home)).rejects.toThrow(RedisMissingError);
      await expect(ensureEmbeddedRedis(home)).rejects.toThrow(
        "sudo apt-get install -y redis-server",
      );
    } finally {
      process.env.PATH = path;
    }
    expect(execFileSync("redis-server", ["--version"]).toString()).toContain("Redis server");
  });
});

describe("two weft processes at once", () => {
  it("share one embedded server", async () => {
    const { spawn } = await import("node:child_process");
    const bin = join(import.meta.dirname, "../../bin/weft.js");
    const run = () =>
      new Promise<{ code: number | null; out: string }>((done) => {
        const child = spawn(process.execPath, [bin, "ls"], {
          env: { ...process.env, WEFT_HOME: home, NO_COLOR: "1" },
        });
        let out = "";
        child.stdout.on("data", (d) => {
          out += d;
        });
        child.stderr.on("data", (d) => {
          out += d;
        });
        child.on("close", (code) => done({ code, out }));
      });
    const results = await Promise.all([run(), run(), run()]);
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    for (const r of results) expect(r.out).toContain("no workflows yet");
    const pids = execFileSync("pgrep", ["-f", `redis-server .*${home}`], { encoding: "utf8" })
      .trim()
      .split("\n");
    expect(pids).toHaveLength(1);
  });
});
