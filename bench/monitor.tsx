/**
 * `npm run bench -- monitor`: the run monitor open on a 500-node run that a worker process
 * (`weft worker --concurrency 32`) advances at full speed. Ink renders exactly as in the
 * terminal into an in-memory 200x50 terminal. Measured: the most redraws in any second, the
 * lag from a node's transition in Redis (its event's time) to the frame that shows it, and
 * this process's peak RSS (the monitor, its layout thread and its Redis connections; the
 * worker runs in a process of its own).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { render } from "ink";
import { DesignerSession } from "../src/app/designer/session.js";
import { RunSession } from "../src/app/runs/run-session.js";
import { loadKeymap, loadTheme } from "../src/config/index.js";
import { Engine } from "../src/engine/index.js";
import { WorkflowSchema } from "../src/spec/index.js";
import {
  connectStore,
  DraftStore,
  LayoutCache,
  stopEmbeddedRedis,
  storeKeys,
} from "../src/store/index.js";
import { WeftApp } from "../src/tui/app.js";
import { createLayoutService } from "../src/tui/canvas/layout-service.js";
import { createLook } from "../src/tui/theme.js";
import { Keyboard, maxPerSecond, Terminal } from "./ink-terminal.js";
import { type BenchResult, peakRssMb, percentile, table } from "./report.js";

const root = resolve(import.meta.dirname, "..");
const RUNS = 3;

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

export async function runMonitorBench(): Promise<BenchResult> {
  const home = mkdtempSync(join(tmpdir(), "wm-"));
  const env = { WEFT_HOME: home, WEFT_PREFIX: "bench" };
  const conn = await connectStore(env);
  const keys = storeKeys("bench");
  const actor = { user: "bench", host: "bench" };
  const engine = new Engine({ redis: conn.redis, keys, actor });
  const saved = await engine.registry.save([WorkflowSchema.parse(wide(20, 25))]);
  if (!saved.ok) throw new Error(JSON.stringify(saved.findings[0]));
  const designer = new DesignerSession({
    registry: engine.registry,
    actor,
    drafts: new DraftStore(conn.redis, keys, actor.user),
    layouts: new LayoutCache(conn.redis, keys),
  });
  const runs = new RunSession(engine, conn.redis, keys);
  const layout = createLayoutService();
  const keymap = loadKeymap("default");
  const look = createLook(loadTheme("dark"), "unicode");

  // The worker waits stopped (SIGSTOP) while each run is opened, then goes at full speed.
  const worker: ChildProcess = spawn(
    process.execPath,
    [join(root, "bin/weft.js"), "worker", "--concurrency", "32"],
    { env: { ...process.env, ...env }, stdio: "ignore" },
  );
  await sleep(800);
  worker.kill("SIGSTOP");

  const lags: number[] = [];
  let redrawsMax = 0;
  let eventsPerS = 0;
  const rows: string[][] = [];
  try {
    for (let r = 0; r < RUNS; r++) {
      const id = await engine.startRun("wide500", {});
      const stdout = new Terminal(200, 50);
      const stdin = new Keyboard();
      const pending: number[] = [];
      let lastWrite = 0;
      stdout.onWrite = () => {
        lastWrite = Date.now();
        for (const t of pending.splice(0)) lags.push(lastWrite - t);
      };
      let shownEvents = 0;
      const app = render(
        <WeftApp
          session={designer}
          runs={runs}
          keymap={keymap}
          look={look}
          layout={layout}
          start={{ type: "run", id }}
          cwd={home}
          width={200}
          height={49}
          onShown={(times) => {
            shownEvents += times.length;
            // Drawn in this commit: the write has just happened. Held back by Ink's frame
            // limit: the next write shows it.
            if (Date.now() - lastWrite <= 2) {
              const now = Date.now();
              for (const t of times) lags.push(now - t);
            } else pending.push(...times);
          }}
        />,
        {
          stdout: stdout as never,
          stdin: stdin as never,
          stderr: new Terminal(200, 50) as never,
          exitOnCtrlC: false,
          patchConsole: false,
          incrementalRendering: false,
          maxFps: 60,
        },
      );
      // Opened, laid out (elk in the layout thread), quiet.
      await sleep(2500);
      const from = stdout.times.length;
      const started = performance.now();
      worker.kill("SIGCONT");
      for (;;) {
        const status = await conn.redis.hget(keys.run(id).meta, "status");
        if (status === "succeeded" || status === "failed" || status === "cancelled") break;
        await sleep(20);
      }
      const took = performance.now() - started;
      await sleep(500);
      worker.kill("SIGSTOP");
      const writes = stdout.times.slice(from);
      const perSecond = maxPerSecond(writes);
      redrawsMax = Math.max(redrawsMax, perSecond);
      const events = Number(await conn.redis.xlen(keys.run(id).events));
      eventsPerS = Math.max(eventsPerS, Math.round((shownEvents / took) * 1000));
      rows.push([
        `run ${r + 1}`,
        took.toFixed(0),
        String(shownEvents),
        String(events),
        String(writes.length),
        String(perSecond),
      ]);
      app.unmount();
    }
  } finally {
    worker.kill("SIGCONT");
    worker.kill("SIGTERM");
    layout.close();
    await runs.close();
    await conn.close();
    await stopEmbeddedRedis(home);
    rmSync(home, { recursive: true, force: true });
  }
  const sorted = lags.sort((a, b) => a - b);
  const figures = {
    lag_p50_ms: Math.round(percentile(sorted, 50) * 10) / 10,
    lag_p99_ms: Math.round(percentile(sorted, 99) * 10) / 10,
    redraws_per_s_max: redrawsMax,
    node_events_per_s: eventsPerS,
    rss_mb: Math.round(peakRssMb() * 10) / 10,
  };
  const goal = (ok: boolean) => (ok ? "yes" : "NO");
  return {
    title: `monitor: a 500-node no-op run (25 layers of 20) advanced by \`weft worker --concurrency 32\`, the monitor open at 200x50, ${RUNS} runs`,
    text: `${table(
      ["", "run ms", "node changes shown", "stream entries", "frames", "most frames in 1 s"],
      rows,
    )}\n\n${table(
      ["measure", "value", "goal", "met"],
      [
        ["lag, transition in Redis to frame, p50 ms", String(figures.lag_p50_ms), "-", "-"],
        ["lag p99 ms", String(figures.lag_p99_ms), "< 100", goal(figures.lag_p99_ms < 100)],
        [
          "most redraws in any second",
          String(figures.redraws_per_s_max),
          "<= 30",
          goal(figures.redraws_per_s_max <= 30),
        ],
        ["node changes arriving per s (peak run)", String(figures.node_events_per_s), "-", "-"],
        [
          "monitor process peak RSS MB",
          String(figures.rss_mb),
          "< 150",
          goal(figures.rss_mb < 150),
        ],
      ],
    )}`,
    figures,
  };
}
