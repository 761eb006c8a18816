/**
 * The registry on a real 3-node Redis Cluster (loopback only): every multi-key script stays in
 * one slot thanks to the `{reg}` hash tag, and REDIS_URL takes a comma list of nodes.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkflowSchema } from "../../src/spec/index.js";
import { connectTo, storeKeys, WorkflowRegistry } from "../../src/store/index.js";

const base = 20_000 + (process.pid % 2_000) * 3;
const ports = [base, base + 1, base + 2];
let dir: string;
const servers: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "weft-cluster-"));
  for (const port of ports) {
    servers.push(
      spawn(
        "redis-server",
        [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          join(dir, `nodes-${port}.conf`),
          "--dir",
          dir,
          "--save",
          "",
          "--appendonly",
          "no",
        ],
        { stdio: "ignore" },
      ),
    );
  }
  for (const port of ports) {
    for (let i = 0; ; i++) {
      try {
        execFileSync("redis-cli", ["-p", String(port), "ping"], { stdio: "pipe" });
        break;
      } catch {
        if (i > 100) throw new Error(`cluster node ${port} did not start`);
        await sleep(50);
      }
    }
  }
  execFileSync(
    "redis-cli",
    [
      "--cluster",
      "create",
      ...ports.map((p) => `127.0.0.1:${p}`),
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ],
    { stdio: "pipe" },
  );
  for (
    let i = 0;
    !execFileSync("redis-cli", ["-p", String(base), "cluster", "info"], {
      encoding: "utf8",
    }).includes("cluster_state:ok");
    i++
  ) {
    if (i > 200) throw new Error("cluster did not become ok");
    await sleep(50);
  }
}, 60_000);

afterAll(async () => {
  for (const s of servers) s.kill("SIGTERM");
  await sleep(100);
  rmSync(dir, { recursive: true, force: true });
});

describe("on Redis Cluster", () => {
  it("saves, dedups, reads back and deletes through a comma list of nodes", async () => {
    const conn = await connectTo(ports.map((p) => `redis://127.0.0.1:${p}`).join(","));
    try {
      const registry = new WorkflowRegistry(conn.redis, storeKeys(), { user: "ada", host: "box" });
      const flow = (word: string) =>
        WorkflowSchema.parse({
          name: "clustered",
          nodes: [{ id: "a", kind: "task", handler: "shell", with: { command: ["echo", word] } }],
        });
      const child = WorkflowSchema.parse({
        name: "child",
        nodes: [{ id: "c", kind: "task", handler: "noop" }],
      });
      const first = await registry.save([flow("one"), child]);
      expect(first.ok && first.saved.map((s) => s.version)).toEqual([1, 1]);
      const again = await registry.save([flow("one")]);
      expect(again.ok && again.saved[0]!.created).toBe(false);
      await registry.save([flow("two")]);
      expect((await registry.get("clustered@1")).workflow.nodes[0]).toMatchObject({
        with: { command: ["echo", "one"] },
      });
      expect((await registry.list()).map((w) => w.name).sort()).toEqual(["child", "clustered"]);
      expect(await registry.remove("child")).toBe(1);
    } finally {
      await conn.close();
    }
  });
});
