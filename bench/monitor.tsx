/**
 * `npm run bench -- monitor`: the real binary, `weft monitor RUN` in tmux at 200x50, open on a
 * 500-node run that a worker process (`weft worker --concurrency 32`) advances at full speed.
 * The monitor logs each frame it writes and, for each node change it shows, the lag from the
 * transition in Redis (its event's time) to that frame (WEFT_FRAME_LOG). Measured: lag p50/p99,
 * the most frames written in any second, and the monitor process's peak RSS (VmHWM).
 * MONITOR_NODE_FLAGS passes node flags to the monitor, e.g. `--cpu-prof --cpu-prof-dir=DIR`.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Engine } from "../src/engine/index.js";
import { WorkflowSchema } from "../src/spec/index.js";
import { connectStore, stopEmbeddedRedis, storeKeys } from "../src/store/index.js";
import { type BenchResult, maxPerSecond, percentile, table } from "./report.js";

const root = resolve(import.meta.dirname, "..");
/** The first open lays the workflow out and stores the positions; the others read them. */
const OPENS = 4;

/** 500 no-op tasks in 25 layers of 20, each after one or two of the layer before. */
function wide(nodesPerLayer: number, layers: number) {
  const nodes = [];
  const edges = [];
  for (let l = 0; l < layers; l++)
    for (let i = 0; i < nodesPerLayer; i++) {
      const id = `n${l}_${i}`;
      nodes.push({ id, kind: "task", handler: "noop" });
      if (l === 0) continue;
      edges.push({ from: `n${l - 1}_${i}`, to: id });
      if (i % 3 === 0) edges.push({ from: `n${l - 1}_${(i + 7) % nodesPerLayer}`, to: id });
    }
  return { name: "wide500", limits: { maxNodes: 1000, maxFanOut: 100 }, nodes, edges };
}

interface Open {
  lags: number[];
  writes: number[];
  /** Bytes written to the terminal from the run's start to its end. */
  bytes: number;
  rssMb: number;
  runMs: number;
}

export async function runMonitorBench(): Promise<BenchResult> {
  if (spawnSync("tmux", ["-V"]).status !== 0)
    throw new Error("the monitor benchmark runs the binary in tmux: install tmux (npm test does)");
  if (!existsSync(join(root, "dist/cli/main.js")))
    throw new Error("the monitor benchmark runs the built binary: `npm run build` first");
  const home = mkdtempSync(join(tmpdir(), "wm-"));
  const env = { WEFT_HOME: home, WEFT_PREFIX: "bench" };
  const conn = await connectStore(env);
  const keys = storeKeys("bench");
  const engine = new Engine({ redis: conn.redis, keys, actor: { user: "bench", host: "bench" } });
  const saved = await engine.registry.save([WorkflowSchema.parse(wide(20, 25))]);
  if (!saved.ok) throw new Error(JSON.stringify(saved.findings[0]));

  const waitForEnd = async (id: string) => {
    for (;;) {
      const status = await conn.redis.hget(keys.run(id).meta, "status");
      if (status === "succeeded" || status === "failed" || status === "cancelled") return;
      await sleep(20);
    }
  };

  // The worker waits stopped (SIGSTOP) while the monitor opens, then goes at full speed.
  const worker: ChildProcess = spawn(
    process.execPath,
    [join(root, "bin/weft.js"), "worker", "--concurrency", "32"],
    { env: { ...process.env, ...env }, stdio: "ignore" },
  );
  await sleep(800);
  worker.kill("SIGSTOP");
  const session = `weft-bench-monitor-${process.pid}`;
  const opens: Open[] = [];
  try {
    for (let i = 0; i < OPENS; i++) {
      const id = await engine.startRun("wide500", {});
      const log = join(home, `frames-${i}.log`);
      const vars = Object.entries({
        ...env,
        TERM: "xterm-256color",
        LANG: "C.UTF-8",
        WEFT_FRAME_LOG: log,
      })
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
      execFileSync("tmux", [
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "200",
        "-y",
        "50",
        `exec env -u CI ${vars} ${process.execPath} ${process.env.MONITOR_NODE_FLAGS ?? ""} ${join(root, "bin/weft.js")} monitor ${id}`,
      ]);
      try {
        const pid = Number(
          execFileSync("tmux", ["display", "-p", "-t", session, "#{pane_pid}"], {
            encoding: "utf8",
          }),
        );
        // Opened and laid out, quiet: the frames from here on are the run's.
        await sleep(3000);
        const from = Date.now();
        worker.kill("SIGCONT");
        await waitForEnd(id);
        const runMs = Date.now() - from;
        await sleep(1000);
        worker.kill("SIGSTOP");
        const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
        const lines = existsSync(log) ? readFileSync(log, "utf8").split("\n") : [];
        const written = lines
          .filter((l) => l.startsWith("w "))
          .map((l) => l.split(" ").map(Number))
          .filter(([, t]) => t! >= from);
        const writes = written.map(([, t]) => t!);
        const bytes = written.reduce((sum, [, , b]) => sum + b!, 0);
        const lags = lines.filter((l) => l.startsWith("lag ")).map((l) => Number(l.slice(4)));
        if (writes.length === 0 || !Number.isFinite(kb))
          throw new Error(
            `the monitor drew no frame during the run (did it crash?); its screen:\n${execFileSync("tmux", ["capture-pane", "-p", "-t", session], { encoding: "utf8" })}`,
          );
        opens.push({ lags, writes, bytes, rssMb: kb / 1024, runMs });
      } finally {
        spawnSync("tmux", ["kill-session", "-t", session]);
      }
    }
  } finally {
    worker.kill("SIGCONT");
    worker.kill("SIGTERM");
    await conn.close();
    await stopEmbeddedRedis(home);
    rmSync(home, { recursive: true, force: true });
  }

  const later = opens.slice(1);
  const lags = later.flatMap((o) => o.lags).sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  const figures = {
    lag_p50_ms: lags.length > 0 ? percentile(lags, 50) : -1,
    lag_p99_ms: lags.length > 0 ? percentile(lags, 99) : -1,
    redraws_per_s_max: Math.max(...later.map((o) => maxPerSecond(o.writes))),
    rss_mb: round(Math.max(...later.map((o) => o.rssMb))),
    rss_mb_first_open: round(opens[0]!.rssMb),
    node_changes_per_s: Math.round(Math.max(...later.map((o) => (o.lags.length / o.runMs) * 1000))),
    bytes_per_s: Math.round(Math.max(...later.map((o) => (o.bytes / o.runMs) * 1000))),
  };
  const goal = (ok: boolean) => (ok ? "yes" : "NO");
  return {
    title:
      "monitor: `weft monitor RUN` (the binary, tmux 200x50) on a 500-node no-op run (25 layers of 20) advanced by `weft worker --concurrency 32`",
    text: `${table(
      [
        "open",
        "run ms",
        "node changes shown",
        "writes",
        "bytes",
        "most writes in 1 s",
        "peak RSS MB",
      ],
      opens.map((o, i) => [
        i === 0 ? "1 (lays out)" : String(i + 1),
        String(o.runMs),
        String(o.lags.length),
        String(o.writes.length),
        String(o.bytes),
        String(maxPerSecond(o.writes)),
        round(o.rssMb).toFixed(1),
      ]),
    )}\n\n${table(
      ["measure (opens 2-4, positions stored)", "value", "goal", "met"],
      [
        [
          "lag, transition in Redis to frame, p50 ms",
          String(figures.lag_p50_ms),
          "< 40",
          goal(figures.lag_p50_ms < 40),
        ],
        ["lag p99 ms", String(figures.lag_p99_ms), "< 100", goal(figures.lag_p99_ms < 100)],
        ["bytes written per s of the run", String(figures.bytes_per_s), "-", "-"],
        [
          "most writes to the terminal in any second",
          String(figures.redraws_per_s_max),
          "<= 30",
          goal(figures.redraws_per_s_max <= 30),
        ],
        ["node changes arriving per s", String(figures.node_changes_per_s), "-", "-"],
        ["monitor peak RSS MB", String(figures.rss_mb), "< 150", goal(figures.rss_mb < 150)],
        ["  first open, elk in the layout thread", String(figures.rss_mb_first_open), "-", "-"],
      ],
    )}`,
    figures,
  };
}
