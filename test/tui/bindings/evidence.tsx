/**
 * Issue 13's evidence that the keymaps and the app agree, on the real app (ink-testing-library,
 * a real Redis, the layout worker and an in-process worker), for the default and the vim keymap:
 *
 * 1. every binding is reachable: the app is brought into each context, and every key of every
 *    binding there is pressed and acts (the frame changes, the app exits, or the store changes
 *    as stated), each from its context's start state or one where the command visibly acts
 *    (for the vim keymap, the keys the default keymap does not bind to the same command there);
 * 2. every key the app answers is bound: in each context, every printable character (outside
 *    typing contexts) and every named key the keymap does not bind there changes neither the
 *    frame nor the store; the questions that answer "any other key" do what they say instead;
 * 3. no screen reads a raw key: only src/tui/input and the key router do.
 *
 * Frames keep their SGR codes (FORCE_COLOR), so a cursor drawn only in reverse video counts.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { render } from "ink-testing-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppSessions, openSessions } from "../../../src/app/sessions.js";
import {
  CONTEXTS,
  type Command,
  type Context,
  type Keymap,
  loadKeymap,
  loadTheme,
  TYPING_CONTEXTS,
} from "../../../src/config/index.js";
import { Engine, Worker } from "../../../src/engine/index.js";
import { FINAL_RUN } from "../../../src/model/run-model.js";
import { WorkflowSchema } from "../../../src/spec/index.js";
import { DraftStore, type StoreKeys, storeKeys } from "../../../src/store/index.js";
import { type Start, WeftApp } from "../../../src/tui/app.js";
import { createLayoutService, type LayoutService } from "../../../src/tui/canvas/layout-service.js";
import {
  canonicalKey,
  createDispatcher,
  createKeyParser,
  type Dispatcher,
  type KeyPress,
  keyName,
} from "../../../src/tui/input/index.js";
import { createLook } from "../../../src/tui/theme.js";
import { startRedis, type TestRedis } from "../../support/redis.js";

const root = resolve(import.meta.dirname, "../../..");
const ACTOR = { user: "grace", host: "ops-box" };
const LOOK = createLook(loadTheme("no-color"), "unicode");
const KEYMAPS = ["default", "vim"] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Keys: keymap notation → the bytes a terminal sends (checked against the parser below).

const NAMED: Record<string, string> = {
  up: "\x1b[A",
  down: "\x1b[B",
  right: "\x1b[C",
  left: "\x1b[D",
  home: "\x1b[H",
  end: "\x1b[F",
  pageup: "\x1b[5~",
  pagedown: "\x1b[6~",
  insert: "\x1b[2~",
  delete: "\x1b[3~",
  tab: "\t",
  return: "\r",
  escape: "\x1b",
  backspace: "\x7f",
  space: " ",
  f1: "\x1bOP",
  f2: "\x1bOQ",
  f3: "\x1bOR",
  f4: "\x1bOS",
  f5: "\x1b[15~",
  f6: "\x1b[17~",
  f7: "\x1b[18~",
  f8: "\x1b[19~",
  f9: "\x1b[20~",
  f10: "\x1b[21~",
  f11: "\x1b[23~",
  f12: "\x1b[24~",
};

function bytesOf(key: string): string {
  const k = canonicalKey(key);
  if (k === "+" || [...k].length === 1) return k;
  if (k === "shift+tab") return "\x1b[Z";
  if (k.startsWith("meta+")) return `\x1b${bytesOf(k.slice(5))}`;
  const ctrl = /^ctrl\+([a-z])$/.exec(k);
  if (ctrl) return String.fromCharCode(ctrl[1]!.charCodeAt(0) - 96);
  const named = NAMED[k];
  if (named === undefined) throw new Error(`no bytes for key \`${key}\``);
  return named;
}

/** What the app's parser makes of the bytes (a lone ESC once its wait is over). */
function parse(bytes: string): KeyPress[] {
  const parser = createKeyParser();
  return [...parser.feed(bytes), ...parser.flush()];
}

const pressOf = (key: string): KeyPress => parse(bytesOf(key))[0]!;

/** The Escape key as kitty's protocol sends it: no 30 ms wait; setup and restore steps use it. */
const QUICK_ESCAPE = "\x1b[27u";

const PRINTABLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i));
/** ctrl+h, ctrl+i, ctrl+j and ctrl+m are backspace, tab and return: the same bytes. */
const CTRL = [..."abcdefgklnopqrstuvwxyz"].map((c) => `ctrl+${c}`);
const NAMED_PROBES = [
  "up",
  "down",
  "left",
  "right",
  "tab",
  "shift+tab",
  "home",
  "end",
  "pageup",
  "pagedown",
  "insert",
  "delete",
  "backspace",
  "escape",
  "return",
  ...Array.from({ length: 12 }, (_, i) => `f${i + 1}`),
  ...CTRL,
  "meta+b",
  "meta+f",
];
const PROBES = ["space", ...PRINTABLE, ...NAMED_PROBES];

/** The probe keys nothing is bound to in `context`; in a typing context, only named keys. */
function unboundKeys(dispatcher: Dispatcher, context: Context): string[] {
  const typing = TYPING_CONTEXTS.has(context);
  return PROBES.filter(
    (key) =>
      !(typing && (key === "space" || [...key].length === 1)) &&
      dispatcher.commandFor(pressOf(key), context) === undefined,
  );
}

// ---------------------------------------------------------------------------------------------
// The store: one Redis for the file, and per context a fresh key prefix seeded with what it needs.

const task = (id: string, more: object = {}) => ({ id, kind: "task", handler: "noop", ...more });
const CHAIN = ["start", "a", "b", "c", "d", "e", "f"];
/** A chain tall enough to scroll, then `left`, `mid` and `right` side by side, then `end`. */
function tall(name: string, side: { left: object; mid: object; right: object }, more: object = {}) {
  return {
    name,
    nodes: [
      ...CHAIN.map((id) => task(id)),
      { id: "left", ...side.left },
      { id: "mid", ...side.mid },
      { id: "right", ...side.right },
      task("end"),
    ],
    edges: [
      ...CHAIN.slice(1).map((to, i) => ({ from: CHAIN[i]!, to })),
      ...["left", "mid", "right"].flatMap((id) => [
        { from: "f", to: id },
        { from: id, to: "end" },
      ]),
    ],
    ...more,
  };
}

const CHILD = { name: "child", nodes: [task("c1"), task("c2")], edges: [{ from: "c1", to: "c2" }] };
/** Three parameters, each a warning (required with a default): three findings, and a run form. */
const EVIDENCE = tall(
  "evidence",
  { left: { kind: "subworkflow", workflow: "child" }, mid: task("mid"), right: task("right") },
  {
    description: "bindings",
    parameters: {
      alpha: { type: "string", required: true, default: "a" },
      mode: { type: "enum", enum: ["fast", "safe"], required: true, default: "fast" },
      zeta: { type: "boolean", required: true, default: false },
    },
  },
);
/** v1 of evidence: thirty more nodes, so its diff with the current one scrolls. */
const EVIDENCE_V1 = {
  ...EVIDENCE,
  nodes: [...EVIDENCE.nodes, ...Array.from({ length: 30 }, (_, i) => task(`pad${i + 10}`))],
};
const LOG_LINES = 'for i in $(seq 1 200); do echo "line $i"; done';
const WATCH = tall("watch", {
  left: { kind: "subworkflow", workflow: "child" },
  mid: task("mid", { handler: "shell", with: { command: ["sh", "-c", LOG_LINES] } }),
  right: task("right", { handler: "fail", with: { message: "no" }, retries: { max: 0 } }),
});
/** A run no worker serves: it waits, running, on a queue nobody reads. */
const STUCK = {
  name: "stuck",
  nodes: [{ id: "nap", kind: "delay", duration: "1h", queue: "nowhere" }],
};
const BOOM = {
  name: "boom",
  nodes: [
    task("charge", {
      handler: "shell",
      with: { command: ["sh", "-c", `${LOG_LINES}; exit 3`] },
      retries: { max: 0 },
    }),
  ],
};

let server: TestRedis;
let layout: LayoutService;
let prefixes = 0;

interface World {
  keys: StoreKeys;
  engine: Engine;
  ids: Record<string, string>;
  stop(): Promise<void>;
}

async function save(w: World, ...specs: object[]): Promise<void> {
  const result = await w.engine.registry.save(
    specs.map((s) => WorkflowSchema.parse(s)),
    { message: "init" },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.findings));
}

async function finished(w: World, ids: string[]): Promise<void> {
  for (const id of ids)
    for (let i = 0; !FINAL_RUN.has((await w.engine.status(id)).fields.status ?? ""); i++) {
      if (i > 500) throw new Error(`run ${id} did not finish`);
      await sleep(20);
    }
}

const SEEDS = {
  async designs(w: World) {
    await save(w, CHILD);
    await save(w, EVIDENCE_V1);
    await save(w, { ...EVIDENCE, description: "v2" });
    await save(w, EVIDENCE);
    await save(w, { name: "extra-1", nodes: [task("only")] }, { name: "extra-2", nodes: [] });
  },
  async stuck(w: World) {
    await save(w, STUCK);
  },
  async watch(w: World) {
    await save(w, CHILD, WATCH, STUCK);
    w.ids.watch = await w.engine.startRun("watch", {});
    w.ids.stuck = await w.engine.startRun("stuck", {});
    await finished(w, [w.ids.watch]);
  },
  async runs(w: World) {
    await save(w, CHILD);
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) ids.push(await w.engine.startRun("child", {}));
    await finished(w, ids);
  },
  async letters(w: World) {
    await save(w, BOOM);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await w.engine.startRun("boom", {}));
    await finished(w, ids);
    for (let i = 0; (await w.engine.deadLetters.list()).length < 6; i++) {
      if (i > 200) throw new Error("the dead letters did not come");
      await sleep(20);
    }
  },
};
type Seed = keyof typeof SEEDS;

async function makeWorld(seeds: readonly Seed[]): Promise<World> {
  const keys = storeKeys(`bind${++prefixes}`);
  const engine = new Engine({ redis: server.redis, keys, actor: ACTOR });
  const worker = new Worker(engine, server.client(), { concurrency: 8, queues: ["default"] });
  const working = worker.run();
  const world: World = {
    keys,
    engine,
    ids: {},
    async stop() {
      await worker.stop(1000);
      await working;
    },
  };
  for (const seed of seeds) await SEEDS[seed](world);
  return world;
}

const draftsOf = (w: World) => new DraftStore(server.redis, w.keys, ACTOR.user);

/** What a stray key must not change: versions, the draft, runs and dead letters. */
async function storeState(w: World, app: Running): Promise<string> {
  const rows = await app.sessions.designer.list();
  const runs = await app.sessions.runs.list({}, 500);
  return JSON.stringify({
    workflows: rows.map((r) => `${r.name}@${r.version}`),
    draft: (await draftsOf(w).get("evidence")) !== undefined,
    runs: runs.rows.map((r) => `${r.id} ${r.status}`),
    letters: (await w.engine.deadLetters.list(500)).length,
  });
}

beforeAll(async () => {
  server = await startRedis();
  layout = createLayoutService();
});
afterAll(async () => {
  layout.close();
  await server.stop();
});

// ---------------------------------------------------------------------------------------------
// The app, and waiting on its frames.

interface Running {
  frame(): string;
  write(bytes: string): void;
  /** Ink let go of stdin: the app ended. */
  exited(): boolean;
  sessions: AppSessions;
  close(): Promise<void>;
}

type Size = { width: number; height: number };

function openApp(keymap: Keymap, w: World, start: Start, size: Size): Running {
  const sessions = openSessions({
    redis: server.redis,
    keys: w.keys,
    actor: ACTOR,
    registry: w.engine.registry,
    engine: w.engine,
  });
  const app = render(
    <WeftApp
      session={sessions.designer}
      runs={sessions.runs}
      keymap={keymap}
      look={LOOK}
      layout={layout}
      start={start}
      cwd={root}
      width={size.width}
      height={size.height}
    />,
  );
  let closed = false;
  return {
    frame: () => app.lastFrame() ?? "",
    write: (bytes) => app.stdin.write(bytes),
    exited: () => app.stdin.listenerCount("readable") === 0,
    sessions,
    async close() {
      if (closed) return;
      closed = true;
      app.unmount();
      await sessions.runs.close();
    },
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: SGR codes are what is stripped
const SGR = /\x1b\[[0-9;]*m/g;
/** The text of a frame, without its styles. */
const plain = (frame: string) => frame.replace(SGR, "");
/** A frame as compared: ages (`3s ago`) move with the clock and are left out. */
const norm = (frame: string) => frame.replace(/\b\d+[smhd] ago\b/g, "_ ago");

type Check = string | RegExp | ((plainFrame: string) => boolean);
const holds = (check: Check, frame: string) =>
  typeof check === "string"
    ? plain(frame).includes(check)
    : check instanceof RegExp
      ? check.test(plain(frame))
      : check(plain(frame));

async function poll(ok: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await ok()) return true;
    if (Date.now() > end) return false;
    await sleep(4);
  }
}

/** Until the frame has not changed for `ms`. */
async function quiet(app: Running, ms: number): Promise<void> {
  let last = app.frame();
  let since = Date.now();
  const end = since + 3000;
  while (Date.now() - since < ms && Date.now() < end) {
    await sleep(4);
    if (app.frame() !== last) {
      last = app.frame();
      since = Date.now();
    }
  }
}

async function waitFor(app: Running, check: Check, ms = 8000): Promise<void> {
  if (!(await poll(() => holds(check, app.frame()), ms)))
    throw new Error(`timed out waiting for ${String(check)}; frame:\n${plain(app.frame())}`);
}

// ---------------------------------------------------------------------------------------------
// States: where the app is opened and the commands that bring it into a context.

type Step =
  | { cmd: Command; in: Context; times?: number }
  | { text: string }
  | { until: Check }
  /** The designer: Tab until the inspector shows this node. */
  | { select: string }
  | { act: (app: Running, w: World) => Promise<void> };

interface State {
  name: string;
  start(w: World): Start;
  size: Size;
  ready: Check;
  steps: Step[];
  /** Before opening (a draft to offer). */
  prepare?(w: World): Promise<void>;
}

const key = (cmd: Command, context: Context, times = 1): Step => ({ cmd, in: context, times });
const typed = (text: string): Step => ({ text });
const until = (check: Check): Step => ({ until: check });
const act = (run: (app: Running, w: World) => Promise<void>): Step => ({ act: run });
const after = (base: State, name: string, ...steps: Step[]): State => ({
  ...base,
  name,
  steps: [...base.steps, ...steps],
});

/** Clears the designer's message line: the find prompt, cancelled. */
const CLEAR = [key("find", "canvas"), key("back", "text")];
const WIDE = { width: 100, height: 32 };

const canvas: State = {
  name: "evidence on the canvas, mid selected",
  start: () => ({ type: "workflow", ref: "evidence" }),
  size: WIDE,
  ready: (f) => f.includes("Properties · Node start") && !f.includes("laying out"),
  steps: [{ select: "mid" }],
};
const canvasOnLeft = {
  ...canvas,
  name: "the sub-workflow node selected",
  steps: [{ select: "left" }],
};
const inChild = after(canvasOnLeft, "in the child", key("openChild", "canvas"), until("› child"));
const edited = after(canvas, "one edit", key("duplicate", "canvas"), ...CLEAR);
const undone = after(edited, "one edit undone", key("undo", "canvas"), ...CLEAR);
const toInspector = [key("inspect", "canvas"), key("moveDown", "inspector", 2)];
const toFindings = [key("toggleFindings", "canvas"), key("moveDown", "findings")];
const toPalettePanel = [key("togglePalette", "canvas"), key("moveDown", "palettePanel")];
const toText = [key("save", "canvas"), typed("ab cd ef"), key("cursorLeft", "text", 4)];
const toVersions = [key("versions", "canvas"), until("Versions of evidence")];

const versions = after(canvas, "v2 in the version list", ...toVersions, key("moveUp", "versions"));
const viewer = after(
  canvas,
  "the diff with v1, scrolled",
  ...toVersions,
  key("moveUp", "versions", 2),
  key("diffVersion", "versions"),
  until("Diff evidence@1"),
  key("moveDown", "viewer", 2),
);
const choiceOfHandler = after(
  canvas,
  "the handler choice",
  key("inspect", "canvas"),
  key("moveDown", "inspector", 4),
  key("inspect", "inspector"),
  until("handler:"),
);
const toHelp = [key("help", "canvas"), until("weft · help · canvas"), typed("e")];
const help = after(
  canvas,
  "canvas help, searched, scrolled",
  ...toHelp,
  key("moveDown", "help", 2),
);
const toForm = [key("run", "canvas"), until("Start the run"), key("moveDown", "form")];
const form = after(canvas, "the run form, on mode", ...toForm);

const list: State = {
  name: "the list filtered by `e`, second row",
  start: () => ({ type: "list" }),
  size: WIDE,
  ready: "extra-2",
  steps: [typed("e"), until("(3/4)"), key("moveDown", "list")],
};

// The designer's questions.
const dirty = [key("duplicate", "canvas"), until("(unsaved)")];
const leave = after(canvas, "leave?", ...dirty, key("back", "canvas"), until("Back to the list?"));
const runAsSaved = after(
  canvas,
  "run as saved?",
  ...dirty,
  key("run", "canvas"),
  until("saves first"),
);
let conflicts = 0;
const conflict = after(
  canvas,
  "a conflict",
  ...dirty,
  act(async (_app, w) => {
    const theirs = WorkflowSchema.parse({ ...EVIDENCE, description: `theirs ${++conflicts}` });
    const result = await w.engine.registry.save([theirs], { message: "theirs" });
    if (!result.ok) throw new Error(JSON.stringify(result.findings));
  }),
  key("save", "canvas"),
  typed("mine"),
  key("submit", "text"),
  until("changed since you opened it"),
);
const draft: State = {
  name: "the draft question",
  start: () => ({ type: "workflow", ref: "evidence" }),
  size: WIDE,
  ready: "You have unsaved changes to evidence",
  steps: [],
  async prepare(w) {
    const workflow = WorkflowSchema.parse({ ...EVIDENCE, nodes: [...EVIDENCE.nodes, task("new")] });
    await draftsOf(w).put("evidence", {
      workflow,
      baseVersion: 3,
      savedAt: Date.now(),
      host: "box",
    });
  },
};
const quitDriving: State = {
  name: "quitting while driving a run",
  start: () => ({ type: "list" }),
  size: WIDE,
  ready: "extra-2",
  steps: [
    act(async (app) => {
      const started = await app.sessions.runs.start("stuck", {});
      if (!("driven" in started) || !started.driven) throw new Error("the run is not driven");
    }),
    key("quit", "list"),
    until("This terminal drives"),
  ],
};

// The run screens.
const MONITOR = { width: 120, height: 36 };
/** Selects a node of the monitor by finding it: no count of presses to go wrong under load. */
const findNode = (id: string) => [key("find", "monitor"), typed(id), key("submit", "text")];
const toMonitor = [key("inspect", "runs"), until("FAILED"), until("Canvas · x")];
const monitor: State = {
  name: "the failed run, mid selected",
  start: () => ({ type: "runs", workflow: "watch" }),
  size: MONITOR,
  ready: "watch@1",
  steps: [...toMonitor, ...findNode("mid")],
};
const monitorOnLeft = after(
  { ...monitor, steps: toMonitor },
  "the failed run, its sub-workflow selected",
  ...findNode("left"),
);
const stuckMonitor: State = {
  name: "a run no worker serves",
  start: () => ({ type: "runs", workflow: "stuck" }),
  size: MONITOR,
  ready: "stuck@1",
  steps: [key("inspect", "runs"), until("no worker serves queue nowhere")],
};
const toDetails = [key("inspect", "monitor"), until("line 20")];
const details = after(
  monitor,
  "mid's details, a page down",
  ...toDetails,
  key("pageDown", "details"),
);
const detailsOnLeft = after(monitorOnLeft, "the sub-workflow's details", key("inspect", "monitor"));
const stuckDetails = after(
  stuckMonitor,
  "details of a run no worker serves",
  key("inspect", "monitor"),
);
const retry = after(monitor, "the retry choice", key("retryRun", "monitor"), until("Retry:"));
const runs: State = {
  name: "nine runs, the second selected",
  start: () => ({ type: "runs" }),
  size: { width: 90, height: 12 },
  ready: "(more: PgDn)",
  steps: [key("moveDown", "runs")],
};
const toLetters = [key("deadLetters", "runs"), until("Dead letters · 6"), key("moveDown", "dlq")];
const dlq: State = {
  name: "six dead letters, the second selected",
  start: () => ({ type: "runs" }),
  size: WIDE,
  ready: "boom@1",
  steps: toLetters,
};
const toLetter = [key("inspect", "dlq"), until("line 190"), key("moveDown", "letter")];
const letter = after(dlq, "a letter's details, scrolled", ...toLetter);

// ---------------------------------------------------------------------------------------------
// Each context: its start state, the states some commands need to act, what shows they acted
// (when not a changed frame) and the keys that return to the start state (else it is reopened).

interface Effect {
  exits?: boolean;
  shows?: Check;
  store?: { what: string; holds(w: World, app: Running): Promise<boolean> };
}

interface ContextSpec {
  seeds: Seed[];
  home: State;
  /** Other start states of the context the unbound keys are also pressed in. */
  also?: State[];
  states?: Partial<Record<Command, State>>;
  effects?: Partial<Record<Command, Effect>>;
  restore?: Partial<Record<Command, Step[]>>;
  /** The designer keeps drafts 200 ms after an edit: wait that long before reading the store. */
  drafts?: boolean;
}

const EXITS: Effect = { exits: true };
const opposite = (context: Context, pairs: [Command, Command][]) =>
  Object.fromEntries(
    pairs.flatMap(([a, b]) => [[a, [key(b, context)]] as const, [b, [key(a, context)]] as const]),
  );
const backFrom = (context: Context, ...commands: Command[]) =>
  Object.fromEntries(commands.map((c) => [c, [key("back", context)]] as const));
/** The common returns of the designer's panels (help, run form, prompts, versions, runs list). */
const designerReturns = (): Partial<Record<Command, Step[]>> => ({
  help: [key("back", "help")],
  run: [key("back", "form")],
  save: [key("back", "text")],
  export: [key("back", "text")],
  versions: [key("back", "versions")],
  runs: [key("back", "runs")],
});
const FOCUS_FINDINGS = [key("focusNext", "canvas"), key("focusNext", "inspector")];
const FOCUS_PALETTE = [key("focusNext", "canvas"), key("focusNext", "inspector")];

const SPECS: Record<Context, ContextSpec> = {
  list: {
    seeds: ["designs"],
    home: list,
    effects: { quit: EXITS },
    restore: {
      ...opposite("list", [["moveUp", "moveDown"]]),
      help: [key("back", "help")],
      run: [key("back", "form")],
      runs: [key("back", "runs")],
      newWorkflow: [key("back", "text")],
      importFile: [key("back", "text")],
      pageUp: [key("moveDown", "list")],
    },
  },
  canvas: {
    seeds: ["designs"],
    home: canvas,
    drafts: true,
    states: { openChild: canvasOnLeft, parent: inChild, undo: edited, redo: undone },
    effects: { quit: EXITS },
    restore: {
      ...designerReturns(),
      ...opposite("canvas", [["nextWorkflow", "previousWorkflow"]]),
      ...Object.fromEntries(
        (["moveUp", "moveDown", "moveLeft", "moveRight", "nextNode", "previousNode"] as const).map(
          (c) => [c, [{ select: "mid" }]],
        ),
      ),
      validate: [key("toggleFindings", "findings"), ...CLEAR],
      find: [key("back", "text")],
      rename: [key("back", "text")],
      zoom: [key("zoom", "canvas")],
      toggleDirection: [key("toggleDirection", "canvas")],
      inspect: [key("back", "inspector")],
      workflowProperties: [key("back", "inspector"), { select: "mid" }, ...CLEAR],
      selectEdge: [{ select: "mid" }, ...CLEAR],
      addNode: [key("back", "palette")],
      deleteNode: [key("undo", "canvas"), { select: "mid" }, ...CLEAR],
      duplicate: [key("undo", "canvas"), { select: "mid" }, ...CLEAR],
      connect: [key("back", "canvas"), ...CLEAR],
      toggleInspector: [key("toggleInspector", "canvas"), key("back", "inspector")],
      toggleFindings: [key("toggleFindings", "findings")],
      togglePalette: [key("togglePalette", "palettePanel")],
      focusNext: [key("back", "inspector")],
    },
  },
  inspector: {
    seeds: ["designs"],
    home: after(canvas, "the inspector on mid's name", ...toInspector),
    drafts: true,
    states: {
      undo: after(edited, "the inspector after one edit", ...toInspector),
      redo: after(undone, "the inspector after an undone edit", ...toInspector),
    },
    effects: { quit: EXITS },
    restore: {
      ...designerReturns(),
      ...opposite("inspector", [
        ["moveUp", "moveDown"],
        ["nextWorkflow", "previousWorkflow"],
      ]),
      validate: [key("toggleFindings", "findings"), ...CLEAR, key("focusNext", "canvas")],
      back: [key("focusNext", "canvas")],
      toggleInspector: [key("toggleInspector", "canvas")],
      toggleFindings: [key("toggleFindings", "findings"), key("focusNext", "canvas")],
      togglePalette: [key("togglePalette", "palettePanel"), key("focusNext", "canvas")],
      focusNext: [key("focusNext", "canvas")],
      inspect: [key("back", "text")],
    },
  },
  findings: {
    seeds: ["designs"],
    home: after(canvas, "the second of three findings", ...toFindings),
    drafts: true,
    states: {
      undo: after(edited, "the findings after one edit", ...toFindings),
      redo: after(undone, "the findings after an undone edit", ...toFindings),
    },
    effects: { quit: EXITS },
    restore: {
      ...designerReturns(),
      ...opposite("findings", [
        ["moveUp", "moveDown"],
        ["nextWorkflow", "previousWorkflow"],
      ]),
      validate: [key("back", "findings"), ...CLEAR, ...FOCUS_FINDINGS, key("moveDown", "findings")],
      back: FOCUS_FINDINGS,
      toggleInspector: [key("toggleInspector", "findings"), key("focusNext", "inspector")],
      toggleFindings: [key("toggleFindings", "canvas")],
      togglePalette: [key("togglePalette", "palettePanel"), ...FOCUS_FINDINGS],
      focusNext: FOCUS_FINDINGS,
    },
  },
  palettePanel: {
    seeds: ["designs"],
    home: after(canvas, "the palette panel on its second kind", ...toPalettePanel),
    drafts: true,
    states: {
      undo: after(edited, "the palette panel after one edit", ...toPalettePanel),
      redo: after(undone, "the palette panel after an undone edit", ...toPalettePanel),
    },
    effects: { quit: EXITS },
    restore: {
      ...designerReturns(),
      ...opposite("palettePanel", [
        ["moveUp", "moveDown"],
        ["nextWorkflow", "previousWorkflow"],
      ]),
      validate: [key("toggleFindings", "findings"), ...CLEAR, ...FOCUS_PALETTE],
      back: FOCUS_PALETTE,
      toggleInspector: [key("toggleInspector", "palettePanel"), key("focusNext", "inspector")],
      toggleFindings: [key("toggleFindings", "findings"), ...FOCUS_PALETTE],
      togglePalette: [key("togglePalette", "canvas")],
      focusNext: FOCUS_PALETTE,
      inspect: [key("back", "palette"), ...FOCUS_PALETTE],
      addNode: [key("back", "palette"), ...FOCUS_PALETTE],
    },
  },
  palette: {
    seeds: ["designs"],
    home: after(
      canvas,
      "adding a node, second kind",
      key("addNode", "canvas"),
      key("moveDown", "palette"),
    ),
    drafts: true,
    restore: {
      ...opposite("palette", [["moveUp", "moveDown"]]),
      help: [key("back", "help")],
      back: [key("addNode", "canvas")],
    },
  },
  prompt: {
    seeds: ["designs", "stuck"],
    home: leave,
    states: {
      discard: draft,
      save: runAsSaved,
      reload: conflict,
      handBack: quitDriving,
      cancelRun: quitDriving,
    },
    effects: {
      yes: { shows: "weft · workflows" },
      discard: {
        shows: "draft discarded",
        store: {
          what: "the draft is gone",
          holds: async (w) => (await draftsOf(w).get("evidence")) === undefined,
        },
      },
      save: { shows: "Save message" },
      reload: { shows: "reloaded evidence" },
      handBack: EXITS,
      cancelRun: {
        exits: true,
        store: {
          what: "the driven runs are cancelled",
          holds: async (_w, app) =>
            (await app.sessions.runs.list({ workflow: "stuck" }, 50)).rows.some(
              (r) => r.status === "cancelled",
            ),
        },
      },
    },
  },
  text: {
    seeds: ["designs"],
    home: after(canvas, "a save message, the cursor inside `cd`", ...toText),
    restore: {
      ...opposite("text", [["cursorLeft", "cursorRight"]]),
      back: toText,
      ...Object.fromEntries(
        (
          [
            "wordLeft",
            "wordRight",
            "lineStart",
            "lineEnd",
            "deleteBack",
            "deleteForward",
            "deleteWord",
            "clearLine",
            "killLine",
          ] as const
        ).map((c) => [c, [key("back", "text"), ...toText]]),
      ),
    },
  },
  choice: {
    seeds: ["designs", "watch"],
    home: choiceOfHandler,
    also: [retry],
    states: { moveLeft: retry, moveRight: retry, nextNode: retry, previousNode: retry },
    restore: {
      ...opposite("choice", [
        ["moveUp", "moveDown"],
        ["moveLeft", "moveRight"],
      ]),
      nextNode: [key("moveLeft", "choice")],
      previousNode: [key("moveRight", "choice")],
      help: [key("back", "help")],
      back: [key("inspect", "inspector")],
    },
  },
  versions: {
    seeds: ["designs"],
    home: versions,
    restore: {
      ...opposite("versions", [["moveUp", "moveDown"]]),
      help: [key("back", "help")],
      back: [...toVersions, key("moveUp", "versions")],
      versions: [...toVersions, key("moveUp", "versions")],
      diffVersion: [key("back", "viewer"), ...toVersions, key("moveUp", "versions")],
    },
  },
  viewer: {
    seeds: ["designs"],
    home: viewer,
    restore: {
      ...opposite("viewer", [["moveUp", "moveDown"]]),
      help: [key("back", "help")],
    },
  },
  form: {
    seeds: ["designs"],
    home: form,
    effects: { quit: EXITS },
    restore: {
      ...opposite("form", [
        ["moveUp", "moveDown"],
        ["nextNode", "previousNode"],
        ["moveLeft", "moveRight"],
      ]),
      help: [key("back", "help")],
      back: toForm,
      inspect: [key("moveLeft", "form")],
      clear: [key("moveRight", "form")],
    },
  },
  runs: {
    seeds: ["runs"],
    home: runs,
    effects: { quit: EXITS, back: EXITS },
    restore: {
      ...opposite("runs", [["moveUp", "moveDown"]]),
      ...backFrom("help", "help"),
      find: [key("back", "text")],
      inspect: [key("back", "monitor")],
      deadLetters: [key("back", "dlq")],
      pageUp: [key("moveDown", "runs")],
      pageDown: [key("pageUp", "runs"), key("moveDown", "runs")],
    },
  },
  monitor: {
    seeds: ["watch"],
    home: monitor,
    states: { openChild: monitorOnLeft, run: stuckMonitor, cancelRun: stuckMonitor },
    effects: {
      quit: EXITS,
      run: { shows: "driving run" },
      cancelRun: { shows: "to cancel it" },
    },
    restore: {
      ...opposite("monitor", [
        ["nextNode", "previousNode"],
        ["moveLeft", "moveRight"],
        ["zoom", "zoom"],
        ["toggleDirection", "toggleDirection"],
      ]),
      help: [key("back", "help")],
      find: [key("back", "text")],
      inspect: [key("back", "details")],
      runs: [key("back", "runs")],
      deadLetters: [key("back", "dlq")],
      retryRun: [key("back", "choice")],
      openChild: [key("back", "monitor")],
    },
  },
  details: {
    seeds: ["watch"],
    home: details,
    states: { openChild: detailsOnLeft, run: stuckDetails, cancelRun: stuckDetails },
    effects: {
      quit: EXITS,
      run: { shows: "driving run" },
      cancelRun: { shows: "to cancel it" },
    },
    restore: {
      ...opposite("details", [
        ["pageUp", "pageDown"],
        ["zoom", "zoom"],
        ["toggleDirection", "toggleDirection"],
      ]),
      help: [key("back", "help")],
      back: [...toDetails, key("pageDown", "details")],
      runs: [key("back", "runs")],
      deadLetters: [key("back", "dlq")],
      openChild: [key("back", "monitor")],
    },
  },
  dlq: {
    seeds: ["letters"],
    home: dlq,
    effects: { quit: EXITS, run: { shows: /requeue/ } },
    restore: {
      ...opposite("dlq", [["moveUp", "moveDown"]]),
      help: [key("back", "help")],
      back: toLetters,
      pageUp: [key("moveDown", "dlq")],
      runs: [key("back", "runs")],
      inspect: [key("back", "letter")],
      openChild: [key("back", "monitor")],
    },
  },
  letter: {
    seeds: ["letters"],
    home: letter,
    effects: { quit: EXITS, run: { shows: /requeue/ } },
    restore: {
      ...opposite("letter", [["moveUp", "moveDown"]]),
      help: [key("back", "help")],
      back: toLetter,
      pageUp: [key("moveDown", "letter")],
      runs: [key("back", "runs")],
      inspect: [key("back", "monitor")],
      openChild: [key("back", "monitor")],
    },
  },
  help: {
    seeds: ["designs"],
    home: help,
    restore: {
      ...opposite("help", [["moveUp", "moveDown"]]),
      help: [...toHelp, key("moveDown", "help", 2)],
      back: [...toHelp, key("moveDown", "help", 2)],
      pageUp: [key("moveDown", "help", 2)],
      deleteBack: [typed("e"), key("moveDown", "help", 2)],
      clearLine: [typed("e"), key("moveDown", "help", 2)],
    },
  },
};

/**
 * Bindings that cannot show an effect in any reasonable state, and why. Keep it short: every
 * other binding is pressed and must act.
 */
const UNREACHABLE: Partial<Record<`${Context} ${Command}`, string>> = {};

// ---------------------------------------------------------------------------------------------
// One app per context, reopened only when a key left it elsewhere.

class Bench {
  world?: World;
  app?: Running;
  state?: State;
  baseline = "";
  /** The app shows `state` as it was opened: the next test may start from it. */
  clean = false;

  constructor(
    readonly keymap: Keymap,
    readonly dispatcher: Dispatcher,
  ) {}

  async enter(state: State): Promise<Running> {
    const app = this.app;
    if (
      app &&
      this.state === state &&
      this.clean &&
      !app.exited() &&
      norm(app.frame()) === this.baseline
    )
      return app;
    await app?.close();
    await state.prepare?.(this.world!);
    const opened = openApp(this.keymap, this.world!, state.start(this.world!), state.size);
    this.app = opened;
    this.state = state;
    await waitFor(opened, state.ready);
    await quiet(opened, 60);
    await this.run(state.steps);
    await quiet(opened, 80);
    this.baseline = norm(opened.frame());
    this.clean = true;
    return opened;
  }

  /** One key, then the frame it draws. */
  async stroke(bytes: string): Promise<void> {
    const app = this.app!;
    const before = app.frame();
    app.write(bytes);
    await poll(() => app.frame() !== before, 600);
    await quiet(app, 15);
  }

  async run(steps: readonly Step[]): Promise<void> {
    const app = this.app!;
    for (const step of steps) {
      if ("cmd" in step) {
        const first = this.dispatcher.keysFor(step.cmd, step.in)[0];
        if (!first) throw new Error(`no key for ${step.cmd} in ${step.in}`);
        const bytes = first === "escape" ? QUICK_ESCAPE : bytesOf(first);
        for (let i = 0; i < (step.times ?? 1); i++) await this.stroke(bytes);
      } else if ("text" in step) await this.stroke(step.text);
      else if ("until" in step) await waitFor(app, step.until);
      else if ("select" in step) {
        const shown = new RegExp(`Properties · Node ${step.select}\\b`);
        const next = bytesOf(this.dispatcher.keysFor("nextNode", "canvas")[0]!);
        for (let i = 0; !shown.test(plain(app.frame())); i++) {
          if (i > 12) throw new Error(`cannot select ${step.select}`);
          await this.stroke(next);
        }
      } else await step.act(app, this.world!);
    }
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.world?.stop();
  }
}

async function expectEffect(bench: Bench, effect: Effect | undefined, before: string) {
  const app = bench.app!;
  if (!effect) {
    const changed = await poll(() => norm(app.frame()) !== before, 3000);
    expect(changed, `nothing changed on screen:\n${plain(app.frame())}`).toBe(true);
    return;
  }
  if (effect.shows) {
    const check = effect.shows;
    const shown = await poll(() => holds(check, app.frame()), 5000);
    expect(shown, `never showed ${String(check)}:\n${plain(app.frame())}`).toBe(true);
  }
  if (effect.exits)
    expect(await poll(() => app.exited(), 3000), `still running:\n${plain(app.frame())}`).toBe(
      true,
    );
  if (effect.store) {
    const { what, holds: ok } = effect.store;
    expect(await poll(() => ok(bench.world!, app), 5000), what).toBe(true);
  }
}

type Case = { command: Command; key: string };

/** Each key of each binding in `context`, but those `proven` already holds as `command key`. */
function casesIn(dispatcher: Dispatcher, context: Context, proven: Set<string>): Case[] {
  const seen = new Set<string>();
  return dispatcher.bindingsIn(context).flatMap((b) =>
    b.keys.flatMap((k) => {
      const id = `${b.command} ${k}`;
      if (seen.has(id) || proven.has(id) || UNREACHABLE[`${context} ${b.command}`]) return [];
      seen.add(id);
      return [{ command: b.command, key: k }];
    }),
  );
}

// ---------------------------------------------------------------------------------------------

/** The keymaps' notation against the parser, and screens against raw keys. */
export function describeStatic(): void {
  describe("key notation and terminal bytes", () => {
    const everyKey = new Set([
      ...PROBES,
      ...KEYMAPS.flatMap((name) => loadKeymap(name).bindings.flatMap((b) => b.keys)),
    ]);
    it.each([...everyKey])("%s reads back as itself", (k) => {
      const presses = parse(bytesOf(k));
      expect(presses).toHaveLength(1);
      expect(keyName(presses[0]!)).toBe(canonicalKey(k));
    });
  });

  describe("no screen reads a raw key", () => {
    const screens = join(root, "src/tui/screens");
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : [path];
      });
    it.each(files(screens).map((f) => f.slice(root.length + 1)))("%s", (file) => {
      const source = readFileSync(join(root, file), "utf8");
      expect(source).not.toMatch(/\bpress\.|\bKeyPress\b|\buseInput\b|\buseRawKeys\b/);
    });
  });
}

/**
 * The `command key` pairs the default keymap's run proves for `name` in `context`: screens see
 * commands, never keys (checked above), so only the keys a keymap adds are pressed again.
 */
function provenIn(name: (typeof KEYMAPS)[number], context: Context): Set<string> {
  if (name === "default") return new Set();
  return new Set(
    createDispatcher(loadKeymap("default"))
      .bindingsIn(context)
      .flatMap((b) => b.keys.map((k) => `${b.command} ${k}`)),
  );
}

/** Every binding of one keymap reachable, and every unbound key inert, in every context. */
export function describeKeymap(name: (typeof KEYMAPS)[number]): void {
  describe(`the ${name} keymap`, () => {
    const keymap = loadKeymap(name);
    const dispatcher = createDispatcher(keymap);

    // The prompt context has no unbound-key check (its questions answer any key): it is left out
    // when this keymap adds no key of its own there.
    const contexts = CONTEXTS.filter(
      (c) => c !== "prompt" || casesIn(dispatcher, c, provenIn(name, c)).length > 0,
    );
    describe.each(contexts)("in %s", (context) => {
      const spec = SPECS[context];
      const bench = new Bench(keymap, dispatcher);
      beforeAll(async () => {
        bench.world = await makeWorld(spec.seeds);
      });
      afterAll(() => bench.close());

      if (context !== "prompt")
        it("changes nothing on a key it does not bind", async () => {
          for (const state of [spec.home, ...(spec.also ?? [])]) {
            const keys = unboundKeys(dispatcher, context);
            const app = await bench.enter(state);
            const before = bench.baseline;
            const stored = await storeState(bench.world!, app);
            bench.clean = false;
            for (const k of keys) app.write(bytesOf(k));
            await sleep(spec.drafts ? 300 : 150);
            if (norm(app.frame()) !== before || app.exited()) {
              // Which ones: each alone, from the start state.
              const culprits: string[] = [];
              for (const k of keys) {
                const fresh = await bench.enter(state);
                bench.clean = false;
                fresh.write(bytesOf(k));
                await sleep(80);
                if (norm(fresh.frame()) !== bench.baseline || fresh.exited()) culprits.push(k);
                else bench.clean = true;
              }
              expect(culprits, `keys not bound in ${context} that acted (${state.name})`).toEqual(
                [],
              );
            }
            bench.clean = true;
            expect(await storeState(bench.world!, app), `the store, after ${state.name}`).toBe(
              stored,
            );
          }
        });

      it.each(casesIn(dispatcher, context, provenIn(name, context)))(
        "$command on $key",
        async ({ command, key: k }) => {
          const state = spec.states?.[command] ?? spec.home;
          const app = await bench.enter(state);
          const before = bench.baseline;
          bench.clean = false;
          app.write(bytesOf(k));
          await expectEffect(bench, spec.effects?.[command], before);
          const back = spec.restore?.[command];
          if (!back || app.exited()) return;
          await quiet(app, 20);
          await bench.run(back).catch(() => undefined);
          if (await poll(() => norm(app.frame()) === before, 400)) bench.clean = true;
        },
      );
    });
  });
}
