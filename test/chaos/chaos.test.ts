/**
 * Chaos: 30 runs of a 20-node fan-out/fan-in on 3 worker processes, one of them SIGKILLed every
 * 2 s and replaced, and redis-server SIGKILLed once and started again from its AOF. Every run must
 * succeed, every node's side effect must be there, no node may start before its predecessors
 * ended, and no worker may exit on its own. Bounded: about a minute at worst.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeKeys } from "../../src/store/index.js";
import { runWeft } from "../support/cli.js";
import { type RestartableRedis, startRestartableRedis } from "../support/redis-restart.js";

const root = resolve(import.meta.dirname, "../..");
const RUNS = 30;
const MIDDLE = 18;
const PREFIX = "chaos";

let server: RestartableRedis;
let dir: string;
const workers = new Set<ChildProcess>();
beforeAll(async () => {
  server = await startRestartableRedis();
  dir = mkdtempSync(join(tmpdir(), "weft-chaos-"));
});
afterAll(async () => {
  for (const w of workers) w.kill("SIGKILL");
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ REDIS_URL: server.url, WEFT_PREFIX: PREFIX, WEFT_USER: "chaos" });
const weft = (...argv: string[]) => runWeft(argv, { cwd: dir, env: env() });

/** Each node appends "key start ms" and "key end ms" to the log around a short sleep. */
function workflow(log: string): string {
  const step = (id: string) =>
    `  - id: ${id}\n    kind: task\n    handler: shell\n    with:\n      shell: true\n      command: 'echo "$WEFT_IDEMPOTENCY_KEY start $(date +%s%3N)" >> ${log}; sleep 0.15; echo "$WEFT_IDEMPOTENCY_KEY end $(date +%s%3N)" >> ${log}'\n`;
  const middle = Array.from({ length: MIDDLE }, (_, i) => `m${i}`);
  return [
    "name: chaos",
    // Survival is this test's subject; a node lost twice is the subject of lost-attempts.test.ts.
    "defaults: { lostAttempts: 10 }",
    "nodes:",
    step("first") + middle.map(step).join("") + step("last"),
    "edges:",
    ...middle.flatMap((m) => [`  - { from: first, to: ${m} }`, `  - { from: ${m}, to: last }`]),
    "",
  ].join("\n");
}

interface Line {
  run: string;
  node: string;
  attempt: number;
  what: "start" | "end";
  at: number;
}

function readLog(log: string): Line[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [key, what, at] = line.split(" ");
      const [run, node, attempt] = key!.split(":");
      return { run: run!, node: node!, attempt: Number(attempt), what, at: Number(at) } as Line;
    });
}

describe("chaos", () => {
  it("finishes every run while workers are killed every 2 s and Redis restarts once", async () => {
    const log = join(dir, "effects.log");
    writeFileSync(join(dir, "chaos.yaml"), workflow(log));
    expect((await weft("import", "chaos.yaml")).stderr).toBe("");

    const unexpectedExits: string[] = [];
    /** Workers this test killed or told to stop; any other exit is a worker giving up. */
    const stopped = new Set<ChildProcess>();
    const spawnWorker = () => {
      const child = spawn(
        process.execPath,
        [join(root, "bin/weft.js"), "worker", "--concurrency", "2", "--lease-ms", "1500"],
        { cwd: dir, env: { ...process.env, ...env(), NO_COLOR: "1" }, stdio: "ignore" },
      );
      workers.add(child);
      child.once("exit", (code, signal) => {
        workers.delete(child);
        if (!stopped.has(child))
          unexpectedExits.push(`worker ${child.pid} exited by itself (${code ?? signal})`);
      });
      return child;
    };
    const pool = [spawnWorker(), spawnWorker(), spawnWorker()];

    const ids: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await weft("run", "chaos");
      expect(r.code).toBe(0);
      ids.push(r.stdout.trim());
    }

    const redis = server.client();
    const keys = storeKeys(PREFIX);
    const unfinished = async () => {
      const statuses = await Promise.all(ids.map((id) => redis.hget(keys.run(id).meta, "status")));
      return statuses.filter((s) => s !== "succeeded" && s !== "failed" && s !== "cancelled");
    };

    const started = Date.now();
    const deadline = started + 60_000;
    let kills = 0;
    let redisRestartedAt = 0;
    let nextKill = started + 2_000;
    let redisDown = false;
    while (Date.now() < deadline) {
      const now = Date.now();
      if (now >= nextKill) {
        const victim = kills % pool.length;
        stopped.add(pool[victim]!);
        pool[victim]!.kill("SIGKILL");
        pool[victim] = spawnWorker();
        kills++;
        nextKill += 2_000;
      }
      if (!redisDown && redisRestartedAt === 0 && now >= started + 5_000) {
        await server.kill();
        redisDown = true;
        await sleep(1_000);
        await server.start();
        redisRestartedAt = Date.now();
        redisDown = false;
      }
      if (redisRestartedAt > 0 && (await unfinished()).length === 0) break;
      await sleep(100);
    }
    const left = await unfinished();
    for (const w of pool) {
      stopped.add(w);
      w.kill("SIGTERM");
    }
    await Promise.all(
      [...workers].map((w) => new Promise((r) => (w.exitCode !== null ? r(0) : w.once("exit", r)))),
    );

    const statuses = await Promise.all(ids.map((id) => redis.hget(keys.run(id).meta, "status")));
    const lines = readLog(log);
    const ends = lines.filter((l) => l.what === "end");
    const starts = lines.filter((l) => l.what === "start");
    const startsByKey = new Map<string, number>();
    for (const s of starts) {
      const key = `${s.run}:${s.node}:${s.attempt}`;
      startsByKey.set(key, (startsByKey.get(key) ?? 0) + 1);
    }
    const duplicates = [...startsByKey.values()].filter((n) => n > 1).length;
    const firstEndAfterRestart = ends
      .filter((l) => l.at >= redisRestartedAt)
      .reduce((min, l) => Math.min(min, l.at), Number.POSITIVE_INFINITY);
    const endTimes = ends.map((l) => l.at).sort((a, b) => a - b);
    let longestStall = 0;
    for (let i = 1; i < endTimes.length; i++)
      longestStall = Math.max(longestStall, endTimes[i]! - endTimes[i - 1]!);
    process.stdout.write(
      `chaos: ${RUNS} runs, ${RUNS * (MIDDLE + 2)} nodes, ${starts.length} attempts started, ` +
        `${duplicates} attempts run more than once, ${kills} workers killed, ` +
        `first node done ${firstEndAfterRestart - redisRestartedAt} ms after Redis restarted, ` +
        `longest stall ${longestStall} ms, ${Math.round((Date.now() - started) / 1000)} s in all\n`,
    );

    expect(unexpectedExits).toEqual([]);
    expect(left).toEqual([]);
    expect(statuses.every((s) => s === "succeeded")).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(3);
    // Every node's side effect is there at least once.
    const nodes = ["first", ...Array.from({ length: MIDDLE }, (_, i) => `m${i}`), "last"];
    const done = new Set(ends.map((l) => `${l.run}:${l.node}`));
    const missing = ids.flatMap((id) =>
      nodes.filter((n) => !done.has(`${id}:${n}`)).map((n) => `${id}:${n}`),
    );
    expect(missing).toEqual([]);
    // No node started before its predecessors had ended (once, at least).
    const firstEnd = new Map<string, number>();
    for (const e of ends) {
      const key = `${e.run}:${e.node}`;
      firstEnd.set(key, Math.min(firstEnd.get(key) ?? Number.POSITIVE_INFINITY, e.at));
    }
    const early = starts.filter((s) => {
      const before = s.node === "first" ? [] : s.node === "last" ? nodes.slice(1, -1) : ["first"];
      return before.some((p) => !(s.at >= (firstEnd.get(`${s.run}:${p}`) ?? Infinity)));
    });
    expect(early).toEqual([]);
  }, 90_000);
});
