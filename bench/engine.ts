/**
 * `npm run bench -- engine`: weft's engine beside BullMQ on the same Redis (AOF on), in the
 * same run: throughput of DAG runs vs BullMQ flows, single-node runs vs plain BullMQ jobs,
 * latency of a 100-node DAG and a 100-node chain, start/status latency, the worker's RSS, and
 * the ceiling Redis itself sets (one no-op Lua script per call, pipelined).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Worker as BullWorker, type FlowJob, FlowProducer, Queue } from "bullmq";
import { Engine, type Fired, Scheduler } from "../src/engine/index.js";
import { WorkflowSchema } from "../src/spec/index.js";
import {
  connectStore,
  type RedisClient,
  stopEmbeddedRedis,
  storeKeys,
} from "../src/store/index.js";
import { type BenchResult, percentile, table } from "./report.js";

const root = resolve(import.meta.dirname, "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const noop = (id: string) => ({ id, kind: "task", handler: "noop" });
function fanOutIn(width: number) {
  const mids = Array.from({ length: width }, (_, i) => `m${i}`);
  return {
    nodes: [noop("start"), ...mids.map(noop), noop("end")],
    edges: mids.flatMap((m) => [
      { from: "start", to: m },
      { from: m, to: "end" },
    ]),
  };
}
function layered(width: number, depth: number) {
  const layer = (d: number) => Array.from({ length: width }, (_, i) => `n${d}_${i}`);
  const nodes = Array.from({ length: depth }, (_, d) => layer(d))
    .flat()
    .map(noop);
  const edges = Array.from({ length: depth - 1 }, (_, d) =>
    layer(d).flatMap((from) => layer(d + 1).map((to) => ({ from, to }))),
  ).flat();
  return { nodes, edges };
}
function chain(n: number) {
  const ids = Array.from({ length: n }, (_, i) => `c${i}`);
  return { nodes: ids.map(noop), edges: ids.slice(1).map((to, i) => ({ from: ids[i]!, to })) };
}

/**
 * Counts the runs (meta keys) not yet succeeded, throwing on a failed or cancelled one. One
 * script call per poll over every pending run: a pipeline of thousands of HGETs every 10 ms made
 * this process compete for the CPU with the worker and Redis it measures. (Benchmark only: the
 * embedded Redis is not a cluster, so one script may read keys of many runs.)
 */
const UNFINISHED_LUA = `
local left, first = 0, 0
for i = 1, #KEYS do
  local s = redis.call("HGET", KEYS[i], "status")
  if s == "failed" or s == "cancelled" then return {-1, 0} end
  if s ~= "succeeded" then
    left = left + 1
    if first == 0 then first = i end
  end
end
return {left, first}`;

/** Waits for runs to succeed, asking about the unfinished ones every `everyMs`. */
async function waitAll(
  redis: RedisClient,
  engine: Engine,
  ids: string[],
  everyMs = 10,
): Promise<void> {
  let keys = ids.map((id) => engine.keys.run(id).meta);
  for (;;) {
    const [left, first] = (await redis.eval(UNFINISHED_LUA, keys.length, ...keys)) as number[];
    if (left! < 0) throw new Error("a benchmark run failed or was cancelled");
    if (left === 0) return;
    // Runs finish roughly in the order they started: the finished ones before the first
    // unfinished one are not asked about again.
    keys = keys.slice(first! - 1);
    await sleep(everyMs);
  }
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function bullFlowRun(
  flow: FlowProducer,
  done: { n: number },
  job: FlowJob,
  count: number,
): Promise<number> {
  const start = performance.now();
  const target = done.n + count;
  await flow.add(job);
  while (done.n < target) await sleep(1);
  return performance.now() - start;
}

export async function runEngineBench(): Promise<BenchResult> {
  const home = mkdtempSync(join(tmpdir(), "we-"));
  const env = { WEFT_HOME: home, WEFT_PREFIX: "bench" };
  const conn = await connectStore(env);
  const redis = conn.redis;
  const socket = conn.embedded!.paths.socket;
  const engine = new Engine({
    redis,
    keys: storeKeys("bench"),
    actor: { user: "bench", host: "bench" },
  });
  let workerProcess: ChildProcess | undefined;
  const bullConnection = { path: socket, maxRetriesPerRequest: null };
  try {
    const save = async (name: string, shape: object) => {
      const result = await engine.registry.save([
        WorkflowSchema.parse({ name, limits: { maxNodes: 1000 }, ...shape }),
      ]);
      if (!result.ok) throw new Error(JSON.stringify(result.findings));
    };
    await save("fan50", fanOutIn(48));
    await save("dag100", layered(10, 10));
    await save("chain100", chain(100));
    await save("single", { nodes: [noop("only")] });

    workerProcess = spawn(
      process.execPath,
      [join(root, "bin/weft.js"), "worker", "--concurrency", "32"],
      { env: { ...process.env, ...env }, stdio: "ignore" },
    );
    await sleep(500);

    // 1. Throughput: 200 runs of the 50-node fan-out/fan-in.
    await waitAll(
      redis,
      engine,
      await Promise.all(Array.from({ length: 5 }, () => engine.startRun("fan50", {}))),
    );
    let t = performance.now();
    const ids: string[] = [];
    for (let batch = 0; batch < 200; batch += 20)
      ids.push(
        ...(await Promise.all(Array.from({ length: 20 }, () => engine.startRun("fan50", {})))),
      );
    await waitAll(redis, engine, ids);
    const weftSeconds = (performance.now() - t) / 1000;
    const nodesPerS = (200 * 50) / weftSeconds;

    // Single-node runs, the unit plain job queues compete on: started 100 at a time with
    // startRuns, as the BullMQ jobs below are added 100 at a time with addBulk.
    t = performance.now();
    const singles: string[] = [];
    for (let batch = 0; batch < 2000; batch += 100)
      singles.push(
        ...(await engine.startRuns(
          "single",
          Array.from({ length: 100 }, () => ({})),
        )),
      );
    await waitAll(redis, engine, singles);
    const weftSinglesPerS = 2000 / ((performance.now() - t) / 1000);

    // 2. Latency of one run.
    const once = async (name: string) => {
      const start = performance.now();
      // Polled every 1 ms, as the BullMQ chain below is.
      await waitAll(redis, engine, [await engine.startRun(name, {})], 1);
      return performance.now() - start;
    };
    await once("chain100");
    const dag100 = Math.min(await once("dag100"), await once("dag100"), await once("dag100"));
    const chain100 = Math.min(
      await once("chain100"),
      await once("chain100"),
      await once("chain100"),
    );

    // 3. Start and status latency.
    const startTimes: number[] = [];
    const started: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const s = performance.now();
      started.push(await engine.startRun("single", {}));
      startTimes.push(performance.now() - s);
    }
    const statusTimes: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const s = performance.now();
      await engine.status(started[i]!);
      statusTimes.push(performance.now() - s);
    }
    startTimes.sort((a, b) => a - b);
    statusTimes.sort((a, b) => a - b);
    await waitAll(redis, engine, started);

    // 4. A cache hit: the lookup a cached task makes instead of running its handler.
    const hitKey = { scope: "global" as const, run: "bench", key: "hit", ttlMs: 60_000 };
    const never = new AbortController().signal;
    await engine.taskCache.remember({ ...hitKey, signal: never }, async () => ({ ok: 1 }));
    t = performance.now();
    for (let i = 0; i < 2000; i++)
      await engine.taskCache.remember({ ...hitKey, signal: never }, async () => {
        throw new Error("a hit must not run the handler");
      });
    const cacheHitUs = ((performance.now() - t) * 1000) / 2000;

    // 5. Schedule lag: 50 workflows due every minute, one scheduler; how late each run starts.
    for (let i = 0; i < 50; i++)
      await save(`sched${i}`, { schedule: "* * * * *", nodes: [noop("only")] });
    const scheduling = new AbortController();
    const fired: Fired[] = [];
    const scheduler = new Scheduler(engine).run(scheduling.signal, (f) => fired.push(f));
    const boundary = Math.ceil((Date.now() + 1_000) / 60_000) * 60_000;
    await sleep(boundary - Date.now() + 3_000);
    scheduling.abort();
    await scheduler;
    const lags: number[] = [];
    for (const f of fired.filter((x) => x.run))
      lags.push(Number((await engine.status(f.run!)).fields.created) - f.due);
    lags.sort((a, b) => a - b);
    await waitAll(
      redis,
      engine,
      fired.flatMap((f) => (f.run ? [f.run] : [])),
    );

    // 6. A map of 1,000 items at concurrency 64 on two worker processes.
    await save("map1000", {
      nodes: [
        {
          id: "each",
          kind: "task",
          handler: "noop",
          map: {
            over: `[${Array.from({ length: 1000 }, (_, i) => i).join(",")}]`,
            concurrency: 64,
          },
        },
      ],
    });
    const secondWorker = spawn(
      process.execPath,
      [join(root, "bin/weft.js"), "worker", "--concurrency", "32"],
      { env: { ...process.env, ...env }, stdio: "ignore" },
    );
    await sleep(500);
    await waitAll(redis, engine, [await engine.startRun("map1000", {})]);
    t = performance.now();
    await waitAll(redis, engine, [await engine.startRun("map1000", {})]);
    const mapItemsPerS = 1000 / ((performance.now() - t) / 1000);
    secondWorker.kill("SIGTERM");
    await new Promise((r) => secondWorker.once("exit", r));

    // 7. The worker's peak RSS.
    const workerRss = peakRssMb(workerProcess.pid!);
    workerProcess.kill("SIGTERM");
    await new Promise((r) => workerProcess!.once("exit", r));
    workerProcess = undefined;

    // BullMQ on the same Redis: flows of the same shape as their nearest tree, plain jobs, a chain.
    const done = { n: 0 };
    const bullWorker = new BullWorker(
      "bench",
      async () => {
        done.n++;
        return 1;
      },
      { connection: bullConnection, concurrency: 32 },
    );
    const flow = new FlowProducer({ connection: bullConnection });
    const fanTree: FlowJob = {
      name: "end",
      queueName: "bench",
      children: Array.from({ length: 49 }, (_, i) => ({ name: `m${i}`, queueName: "bench" })),
    };
    for (let i = 0; i < 5; i++) await bullFlowRun(flow, done, fanTree, 50);
    t = performance.now();
    const before = done.n;
    for (let batch = 0; batch < 200; batch += 20)
      await Promise.all(Array.from({ length: 20 }, () => flow.add(fanTree)));
    while (done.n < before + 200 * 50) await sleep(1);
    const bullFlowPerS = (200 * 50) / ((performance.now() - t) / 1000);
    const queue = new Queue("bench", { connection: bullConnection });
    t = performance.now();
    const beforeJobs = done.n;
    for (let batch = 0; batch < 2000; batch += 100)
      await queue.addBulk(
        Array.from({ length: 100 }, (_, i) => ({ name: `j${batch + i}`, data: {} })),
      );
    while (done.n < beforeJobs + 2000) await sleep(1);
    const bullJobsPerS = 2000 / ((performance.now() - t) / 1000);
    let chainJob: FlowJob = { name: "c0", queueName: "bench" };
    for (let i = 1; i < 100; i++)
      chainJob = { name: `c${i}`, queueName: "bench", children: [chainJob] };
    await bullFlowRun(flow, done, chainJob, 100);
    const bullChain100 = Math.min(
      await bullFlowRun(flow, done, chainJob, 100),
      await bullFlowRun(flow, done, chainJob, 100),
      await bullFlowRun(flow, done, chainJob, 100),
    );
    // The same 1,000 items as plain jobs, added in one addBulk, on two workers of 32.
    const secondBull = new BullWorker(
      "bench",
      async () => {
        done.n++;
        return 1;
      },
      { connection: bullConnection, concurrency: 32 },
    );
    t = performance.now();
    const beforeBulk = done.n;
    await queue.addBulk(Array.from({ length: 1000 }, (_, i) => ({ name: `m${i}`, data: { i } })));
    while (done.n < beforeBulk + 1000) await sleep(1);
    const bullBulkPerS = 1000 / ((performance.now() - t) / 1000);
    await secondBull.close();
    await bullWorker.close();
    await flow.close();
    await queue.close();

    // 8. The ceiling: one no-op Lua script per call, pipelined.
    redis.defineCommand("benchNoop", { numberOfKeys: 1, lua: "return 1" });
    const calls = 50_000;
    t = performance.now();
    for (let batch = 0; batch < calls; batch += 1000) {
      const pipeline = redis.pipeline();
      for (let i = 0; i < 1000; i++)
        (pipeline as unknown as Record<string, (k: string) => void>).benchNoop!("bench:{ceiling}");
      await pipeline.exec();
    }
    const luaPerS = calls / ((performance.now() - t) / 1000);

    const r1 = (n: number) => Math.round(n * 10) / 10;
    const figures = {
      nodes_per_s: Math.round(nodesPerS),
      bullmq_flow_nodes_per_s: Math.round(bullFlowPerS),
      ratio_vs_bullmq_flow: Math.round((nodesPerS / bullFlowPerS) * 100) / 100,
      weft_single_runs_per_s: Math.round(weftSinglesPerS),
      bullmq_jobs_per_s: Math.round(bullJobsPerS),
      ratio_vs_bullmq_jobs: Math.round((weftSinglesPerS / bullJobsPerS) * 100) / 100,
      lua_ceiling_per_s: Math.round(luaPerS),
      ratio_vs_ceiling: Math.round((nodesPerS / luaPerS) * 100) / 100,
      dag100_ms: r1(dag100),
      chain100_ms: r1(chain100),
      bullmq_chain100_ms: r1(bullChain100),
      start_p50_ms: Math.round(percentile(startTimes, 50) * 100) / 100,
      start_p99_ms: Math.round(percentile(startTimes, 99) * 100) / 100,
      status_p50_ms: Math.round(percentile(statusTimes, 50) * 100) / 100,
      status_p99_ms: Math.round(percentile(statusTimes, 99) * 100) / 100,
      worker_rss_mb: r1(workerRss),
      map_items_per_s: Math.round(mapItemsPerS),
      bullmq_bulk_jobs_per_s: Math.round(bullBulkPerS),
      ratio_vs_bullmq_bulk: Math.round((mapItemsPerS / bullBulkPerS) * 100) / 100,
      cache_hit_us: r1(cacheHitUs),
      schedule_runs: lags.length,
      schedule_lag_p50_ms: lags.length ? r1(percentile(lags, 50)) : -1,
      schedule_lag_p99_ms: lags.length ? r1(percentile(lags, 99)) : -1,
    };
    const text = table(
      ["measure", "weft", "peer (same Redis)", "ratio", "goal"],
      [
        [
          "200 runs of a 50-node fan-out/fan-in, nodes/s",
          String(figures.nodes_per_s),
          `${figures.bullmq_flow_nodes_per_s} (BullMQ flows)`,
          `${figures.ratio_vs_bullmq_flow}x`,
          ">= 3x",
        ],
        [
          "2,000 single-node runs vs plain jobs, per s",
          String(figures.weft_single_runs_per_s),
          `${figures.bullmq_jobs_per_s} (BullMQ jobs)`,
          `${figures.ratio_vs_bullmq_jobs}x`,
          ">= 1x",
        ],
        [
          "nodes/s vs pipelined no-op Lua calls/s",
          String(figures.nodes_per_s),
          `${figures.lua_ceiling_per_s} (ceiling)`,
          `${figures.ratio_vs_ceiling}`,
          ">= 0.2",
        ],
        ["100-node DAG (10x10), ms", String(figures.dag100_ms), "-", "", "<= 120"],
        [
          "100-node chain, ms",
          String(figures.chain100_ms),
          `${figures.bullmq_chain100_ms} (BullMQ chain)`,
          `${r1(figures.chain100_ms / figures.bullmq_chain100_ms)}x`,
          "<= BullMQ",
        ],
        [
          "start run p50 / p99, ms",
          `${figures.start_p50_ms} / ${figures.start_p99_ms}`,
          "-",
          "",
          "p99 <= 10",
        ],
        [
          "status query p50 / p99, ms",
          `${figures.status_p50_ms} / ${figures.status_p99_ms}`,
          "-",
          "",
          "p99 <= 2",
        ],
        ["worker peak RSS, MB", String(figures.worker_rss_mb), "-", "", "<= 150"],
        [
          "map of 1,000 items at concurrency 64, 2 workers, items/s",
          String(figures.map_items_per_s),
          `${figures.bullmq_bulk_jobs_per_s} (BullMQ addBulk)`,
          `${figures.ratio_vs_bullmq_bulk}x`,
          "",
        ],
        [
          "cache hit (lookup, handler skipped), µs per node",
          String(figures.cache_hit_us),
          "-",
          "",
          "",
        ],
        [
          `schedule lag p50 / p99 (${figures.schedule_runs} runs due at one minute), ms`,
          `${figures.schedule_lag_p50_ms} / ${figures.schedule_lag_p99_ms}`,
          "-",
          "",
          "",
        ],
      ],
    );
    return {
      title: "engine: weft vs BullMQ on one Redis (AOF on), worker concurrency 32",
      text,
      figures,
    };
  } finally {
    workerProcess?.kill("SIGKILL");
    await conn.close();
    await stopEmbeddedRedis(home);
    rmSync(home, { recursive: true, force: true });
  }
}
