/**
 * The designer as a person meets it, on a 500-node workflow saved in Redis: time from opening it
 * to its first full frame (positions cached with the version), and from a keystroke (move the
 * selection, edit a property) to the frame written, at 80x24 and 200x50. Ink renders exactly as
 * in the terminal (incremental, 60 fps cap) into an in-memory terminal of that size.
 */
import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { render } from "ink";
import { DesignerSession } from "../src/app/designer/session.js";
import { nodeRows } from "../src/app/editor/field-list.js";
import { loadKeymap, loadTheme } from "../src/config/index.js";
import { layoutWithElk } from "../src/layout/index.js";
import { contentHash, loadWorkflowText } from "../src/spec/index.js";
import {
  connectStore,
  DraftStore,
  LayoutCache,
  stopEmbeddedRedis,
  storeKeys,
  WorkflowRegistry,
} from "../src/store/index.js";
import { WeftApp } from "../src/tui/app.js";
import { createLayoutService } from "../src/tui/canvas/layout-service.js";
import { layoutInput, optionsKey } from "../src/tui/canvas/use-geometry.js";
import { createLook } from "../src/tui/theme.js";
import { generateWorkflow } from "./generate.js";
import { percentile } from "./report.js";

class Terminal extends EventEmitter {
  isTTY = true;
  writes = 0;
  waiting: (() => void) | undefined;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (_text: string) => {
    this.writes++;
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
    return true;
  };
  nextWrite(): Promise<void> {
    return new Promise((r) => {
      this.waiting = r;
    });
  }
}

class Keyboard extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  press(s: string) {
    this.data = s;
    this.emit("readable");
  }
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * With WEFT_BENCH_CPU_PROFILE=file.cpuprofile, the 200x50 keystroke loops are profiled (V8 CPU
 * profile, open it in Chrome DevTools or speedscope); returns the function that stops and saves.
 */
async function startProfile(): Promise<(() => Promise<void>) | undefined> {
  const file = process.env.WEFT_BENCH_CPU_PROFILE;
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

export interface FrameFigures {
  open_ms_500: number;
  keystroke_p50_ms_500: number;
  keystroke_p99_ms_500: number;
  /** CPU ms per key press at 200x50, including what the key sets off within 40 ms. */
  keystroke_cpu_ms_500: number;
  rows: string[][];
}

export async function measureDesignerFrames(): Promise<FrameFigures> {
  const home = mkdtempSync(join(tmpdir(), "weft-bench-canvas-"));
  const conn = await connectStore({ WEFT_HOME: home });
  const keys = storeKeys("bench");
  const actor = { user: "bench", host: "bench" };
  const registry = new WorkflowRegistry(conn.redis, keys, actor);
  const session = new DesignerSession({
    registry,
    actor,
    drafts: new DraftStore(conn.redis, keys, actor.user),
    layouts: new LayoutCache(conn.redis, keys),
  });
  const loaded = loadWorkflowText(generateWorkflow(500), "bench.yaml");
  const workflow = { ...loaded.workflows[0]!.workflow, name: "big" };
  const saved = await registry.save([workflow]);
  if (!saved.ok)
    throw new Error(`the generated workflow did not save: ${saved.findings[0]?.message}`);
  const stored = await registry.get("big");
  // Saving a version in the designer stores its positions; do the same here once.
  const options = { direction: "down" as const, density: "full" as const };
  const geometry = await layoutWithElk(layoutInput(stored.workflow), options);
  await session.cacheLayout(contentHash(stored.workflow), optionsKey(options), geometry);

  const layout = createLayoutService();
  const keymap = loadKeymap("default");
  const look = createLook(loadTheme("dark"), "unicode");
  const rows: string[][] = [];
  let open500 = 0;
  let cpuPerKey500 = 0;
  const all: number[] = [];
  for (const [columns, lines] of [
    [80, 24],
    [200, 50],
  ] as const) {
    const stdout = new Terminal(columns, lines);
    const stdin = new Keyboard();
    const first = stdout.nextWrite();
    const started = performance.now();
    const app = render(
      <WeftApp
        session={session}
        keymap={keymap}
        look={look}
        layout={layout}
        start={{ type: "workflow", ref: "big" }}
        cwd={home}
        width={columns}
        height={lines - 1}
      />,
      {
        stdout: stdout as never,
        stdin: stdin as never,
        stderr: new Terminal(columns, lines) as never,
        exitOnCtrlC: false,
        patchConsole: false,
        incrementalRendering: true,
        maxFps: 60,
      },
    );
    await first;
    // The first frame says "opening"; the workflow's first full frame follows.
    await stdout.nextWrite();
    const openMs = performance.now() - started;
    if (columns === 200) open500 = openMs;
    await sleep(300);
    const profiler = columns === 200 ? await startProfile() : undefined;
    const times: number[] = [];
    // CPU time per key press (all threads; the layout worker is idle here): unlike the
    // wall-clock figures it hardly moves when other programs share the machine.
    let cpuMs = 0;
    const pressTimed = async (key: string) => {
      const frame = stdout.nextWrite();
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      stdin.press(key);
      await Promise.race([frame, sleep(500)]);
      times.push(performance.now() - t0);
      await sleep(40);
      const used = process.cpuUsage(cpu);
      cpuMs += (used.user + used.system) / 1000;
    };
    const keysToPress = ["j", "j", "l", "\t", "k", "h", "\t", "j"];
    for (let i = 0; i < 120; i++) await pressTimed(keysToPress[i % keysToPress.length]!);
    // A property edit: find the first task, open the inspector on its continueOnFailure toggle
    // and flip it (each flip is an undoable edit and a new frame; layout must not run).
    const task = stored.workflow.nodes.find((n) => n.kind === "task")!;
    const toggleRow = nodeRows(task).findIndex((r) => r.label === "continueOnFailure");
    for (const k of ["/", ...task.id, "\r", "\r", ...Array(toggleRow).fill("j")]) {
      stdin.press(k);
      await sleep(15);
    }
    await sleep(200);
    for (let i = 0; i < 40; i++) await pressTimed("\r");
    await profiler?.();
    app.unmount();
    const sorted = [...times].sort((a, b) => a - b);
    all.push(...times);
    rows.push([
      `${columns}x${lines}`,
      openMs.toFixed(1),
      percentile(sorted, 50).toFixed(2),
      percentile(sorted, 99).toFixed(2),
      (cpuMs / times.length).toFixed(2),
    ]);
    if (columns === 200) cpuPerKey500 = cpuMs / times.length;
  }
  layout.close();
  await conn.close();
  await stopEmbeddedRedis(home);
  rmSync(home, { recursive: true, force: true });
  const sorted = all.sort((a, b) => a - b);
  return {
    open_ms_500: open500,
    keystroke_p50_ms_500: percentile(sorted, 50),
    keystroke_p99_ms_500: percentile(sorted, 99),
    keystroke_cpu_ms_500: cpuPerKey500,
    rows,
  };
}
