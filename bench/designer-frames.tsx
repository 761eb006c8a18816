/**
 * The designer as a person meets it, on a 500-node workflow saved in Redis: time from opening it
 * to its first full frame (positions cached with the version), and from a keystroke (move the
 * selection, edit a property) to the frame written, at 80x24 and 200x50. Ink renders exactly as
 * in the terminal (whole frames, 60 fps cap, colours on as in a truecolor terminal) into an
 * in-memory terminal of that size. And the memory a designer process holds with a 2000-node
 * workflow open, elk's first layout of it included (it runs in a worker thread of that process).
 *
 * The frames are measured in a process of their own (this file, started with the mode as
 * argument), since colours are chosen when Ink's colour library loads; the memory, in the real
 * binary in tmux, so that it includes neither the benchmark's own layouts nor tsx.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { EventEmitter } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { render } from "ink";
import { DesignerSession } from "../src/app/designer/session.js";
import { nodeRows } from "../src/app/editor/field-list.js";
import { loadKeymap, loadTheme } from "../src/config/index.js";
import { DEFAULT_LAYOUT_OPTIONS, layoutWithElk } from "../src/layout/index.js";
import { contentHash, loadWorkflowText } from "../src/spec/index.js";
import {
  connectStore,
  DEFAULT_PREFIX,
  DraftStore,
  LayoutCache,
  stopEmbeddedRedis,
  storeKeys,
  WorkflowRegistry,
} from "../src/store/index.js";
import { WeftApp } from "../src/tui/app.js";
import { createLayoutService, type LayoutService } from "../src/tui/canvas/layout-service.js";
import { layoutInput, optionsKey } from "../src/tui/canvas/use-geometry.js";
import { createFrameWriter } from "../src/tui/frame-writer.js";
import { createLook } from "../src/tui/theme.js";
import { generateWorkflow } from "./generate.js";
import { median, percentile } from "./report.js";

class Terminal extends EventEmitter {
  isTTY = true;
  writes = 0;
  bytes = 0;
  /** The last frame Ink handed to the frame writer (the whole output, not what was written). */
  frame = "";
  waiting: (() => void) | undefined;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  /** Whether a frame carried truecolor escapes, as a real terminal would get them. */
  coloured = false;
  write = (text: string) => {
    this.writes++;
    this.bytes += Buffer.byteLength(text);
    this.coloured ||= text.includes("38;2;");
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

/** The designer's figures at one terminal size. */
export interface SizeFigures {
  size: string;
  open_ms: number;
  keystroke_p50_ms: number;
  keystroke_p99_ms: number;
  /** CPU ms per key press, including what the key sets off within 40 ms. */
  key_cpu_ms: number;
  /** Median bytes written to the terminal for one move of the selection (h, j, k, l). */
  key_bytes: number;
  /** Mean of the same, the moves that scroll the canvas included. */
  key_bytes_mean: number;
  /** The most bytes one move wrote (one that scrolls the canvas). */
  key_bytes_max: number;
  /** Key to frame p99 of the selection moves and focus changes alone, and of the edits alone. */
  move_p99_ms: number;
  edit_p99_ms: number;
  /** Bytes the workflow's first full frame takes drawn whole (as after a resize). */
  frame_bytes: number;
}

export interface FrameFigures {
  sizes: SizeFigures[];
}

/** A fresh embedded store with one generated workflow saved as `big`. */
async function storeWith(nodeCount: number) {
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
  const loaded = loadWorkflowText(generateWorkflow(nodeCount), "bench.yaml");
  const workflow = { ...loaded.workflows[0]!.workflow, name: "big" };
  const saved = await registry.save([workflow]);
  if (!saved.ok)
    throw new Error(`the generated workflow did not save: ${saved.findings[0]?.message}`);
  const stored = await registry.get("big");
  const close = async () => {
    await conn.close();
    await stopEmbeddedRedis(home);
    rmSync(home, { recursive: true, force: true });
  };
  return { home, session, stored, close };
}

function renderDesigner(
  deps: { session: DesignerSession; layout: LayoutService; home: string },
  stdout: Terminal,
  stdin: Keyboard,
) {
  return render(
    <WeftApp
      session={deps.session}
      keymap={loadKeymap("default")}
      look={createLook(loadTheme("dark"), "unicode")}
      layout={deps.layout}
      start={{ type: "workflow", ref: "big" }}
      cwd={deps.home}
      width={stdout.columns}
      height={stdout.rows - 1}
    />,
    {
      stdout: stdout as never,
      stdin: stdin as never,
      stderr: new Terminal(stdout.columns, stdout.rows) as never,
      exitOnCtrlC: false,
      patchConsole: false,
      // As src/tui/run-designer.tsx, remembering each frame for wholeFrameBytes.
      createLog: (out) => {
        const writer = createFrameWriter(out);
        return Object.assign((frame: string) => {
          stdout.frame = frame;
          return writer(frame);
        }, writer);
      },
      maxFps: 60,
    },
  );
}

/** Bytes of `frame` drawn whole, as the writer draws it after a resize. */
function wholeFrameBytes(frame: string, terminal: Terminal): number {
  let bytes = 0;
  const count = (text: string) => {
    bytes += Buffer.byteLength(text);
    return true;
  };
  createFrameWriter({ write: count, columns: terminal.columns, rows: terminal.rows })(frame);
  return bytes;
}

const sortedOf = (values: readonly number[]) => [...values].sort((a, b) => a - b);

async function framesInThisProcess(): Promise<FrameFigures> {
  const { home, session, stored, close } = await storeWith(500);
  // Saving a version in the designer stores its positions; do the same here once.
  const options = { direction: "down" as const, density: "full" as const };
  const geometry = await layoutWithElk(layoutInput(stored.workflow), options);
  await session.cacheLayout(contentHash(stored.workflow), optionsKey(options), geometry);

  const layout = createLayoutService();
  const sizes: SizeFigures[] = [];
  for (const [columns, lines] of [
    [80, 24],
    [200, 50],
  ] as const) {
    const stdout = new Terminal(columns, lines);
    const stdin = new Keyboard();
    const first = stdout.nextWrite();
    const started = performance.now();
    const app = renderDesigner({ session, layout, home }, stdout, stdin);
    await first;
    // The first frame says "opening"; the workflow's first full frame follows.
    await stdout.nextWrite();
    const openMs = performance.now() - started;
    const frameBytes = wholeFrameBytes(stdout.frame, stdout);
    await sleep(300);
    const profiler = columns === 200 ? await startProfile() : undefined;
    const times: number[] = [];
    // CPU time per key press (all threads; the layout worker is idle here): unlike the
    // wall-clock figures it hardly moves when other programs share the machine.
    let cpuMs = 0;
    const moveBytes: number[] = [];
    const moveTimes: number[] = [];
    const editTimes: number[] = [];
    const pressTimed = async (key: string) => {
      const frame = stdout.nextWrite();
      const cpu = process.cpuUsage();
      const bytes = stdout.bytes;
      const t0 = performance.now();
      stdin.press(key);
      await Promise.race([frame, sleep(500)]);
      times.push(performance.now() - t0);
      await sleep(40);
      const used = process.cpuUsage(cpu);
      cpuMs += (used.user + used.system) / 1000;
      (key === "\r" ? editTimes : moveTimes).push(times.at(-1)!);
      if ("hjkl".includes(key)) moveBytes.push(stdout.bytes - bytes);
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
    if (!stdout.coloured)
      throw new Error("the frames had no truecolor escapes: see the environment in inChildProcess");
    const sorted = sortedOf(times);
    sizes.push({
      size: `${columns}x${lines}`,
      open_ms: openMs,
      keystroke_p50_ms: percentile(sorted, 50),
      keystroke_p99_ms: percentile(sorted, 99),
      key_cpu_ms: cpuMs / times.length,
      key_bytes: median(moveBytes),
      key_bytes_mean: moveBytes.reduce((a, b) => a + b, 0) / moveBytes.length,
      key_bytes_max: Math.max(...moveBytes),
      move_p99_ms: percentile(sortedOf(moveTimes), 99),
      edit_p99_ms: percentile(sortedOf(editTimes), 99),
      frame_bytes: frameBytes,
    });
  }
  layout.close();
  await close();
  return { sizes };
}

/**
 * The memory of the real designer: `weft design` from dist/ (the built code; `npm run bench`
 * builds it when src/ is newer) in tmux at 200x50, opening a saved 2000-node workflow whose
 * positions are not cached yet: provisional layout at once, elk in the layout worker (a thread
 * of the same process, so its memory counts), then a few keys on the laid-out canvas, then six
 * seconds at rest. Peak and current RSS come from /proc. Undefined without tmux or a build.
 */
export async function measureDesignerRss(): Promise<RssFigures | undefined> {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const bin = join(root, "bin/weft.js");
  if (!existsSync(join(root, "dist/cli/main.js")) || spawnSync("tmux", ["-V"]).status !== 0)
    return undefined;
  const home = mkdtempSync(join(tmpdir(), "weft-bench-rss-"));
  const env: NodeJS.ProcessEnv = { ...process.env, WEFT_HOME: home };
  delete env.CI; // Ink draws nothing until exit when CI is set
  const file = join(home, "generated-2000.yaml");
  writeFileSync(file, generateWorkflow(2000));
  const imported = spawnSync(process.execPath, [bin, "import", file], { env, encoding: "utf8" });
  if (imported.status !== 0) throw new Error(`weft import failed: ${imported.stderr}`);
  const session = `weft-bench-rss-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync("tmux", args, { encoding: "utf8" });
  const vars = Object.entries({ WEFT_HOME: home, TERM: "xterm-256color", LANG: "C.UTF-8" })
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  try {
    tmux(
      ...["new-session", "-d", "-s", session, "-x", "200", "-y", "50"],
      `exec env -u CI ${vars} ${process.execPath} ${bin} design generated-2000`,
    );
    const pid = tmux("list-panes", "-t", session, "-F", "#{pane_pid}").trim();
    // The canvas shows provisional positions at once, with no sign that elk is still at work;
    // elk is done when the designer has stored its positions with the version.
    const conn = await connectStore({ WEFT_HOME: home });
    try {
      const keys = storeKeys(DEFAULT_PREFIX);
      const registry = new WorkflowRegistry(conn.redis, keys, { user: "bench", host: "bench" });
      const hash = contentHash((await registry.get("generated-2000")).workflow);
      const positions = new LayoutCache(conn.redis, keys);
      const started = Date.now();
      while (!(await positions.get(hash, optionsKey(DEFAULT_LAYOUT_OPTIONS)))) {
        if (Date.now() - started > 120_000)
          throw new Error(
            `the 2000-node layout did not finish; the screen:\n${tmux("capture-pane", "-p", "-t", session)}`,
          );
        await sleep(200);
      }
    } finally {
      await conn.close();
    }
    for (const key of ["j", "j", "l", "Tab", "k", "h", "Tab", "j"]) {
      tmux("send-keys", "-t", session, key);
      await sleep(100);
    }
    // Past the layout worker's idle stop (5 s after its last layout).
    await sleep(6000);
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
    return {
      designer_rss_mb_2000: kb("VmHWM") / 1024,
      designer_rss_now_mb_2000: kb("VmRSS") / 1024,
    };
  } finally {
    spawnSync("tmux", ["kill-session", "-t", session]);
    await stopEmbeddedRedis(home);
    rmSync(home, { recursive: true, force: true });
  }
}

export interface RssFigures {
  /** Peak RSS of the designer process, layout worker included. */
  designer_rss_mb_2000: number;
  /** Its RSS at rest: layout done, a few keys pressed, the layout worker stopped for idling. */
  designer_rss_now_mb_2000: number;
}

const MODES = { frames: framesInThisProcess } as const;

/** Runs one measurement in a process of its own and returns what it printed. */
function inChildProcess<T>(mode: keyof typeof MODES): Promise<T> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), mode],
    {
      // As a truecolor terminal: the colour library goes by COLORTERM and TERM, and FORCE_COLOR
      // keeps colours on although this stdout is a pipe.
      env: { ...process.env, FORCE_COLOR: "3", COLORTERM: "truecolor", TERM: "xterm-256color" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && last.startsWith("{")) resolve(JSON.parse(last) as T);
      else
        reject(
          new Error(`bench/designer-frames ${mode} failed (exit ${code}): ${out.slice(-500)}`),
        );
    });
  });
}

export const measureDesignerFrames = () => inChildProcess<FrameFigures>("frames");

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const mode = process.argv[2] as keyof typeof MODES;
  const figures = await MODES[mode]();
  process.stdout.write(`\n${JSON.stringify(figures)}\n`);
  process.exit(0);
}
