/**
 * Issue 13's binding evidence, the world each context is tested in: one Redis for the file,
 * per context a fresh key prefix seeded with what it needs, and the real app on it with helpers
 * to wait on its frames.
 */
import { resolve } from "node:path";
import { render } from "ink-testing-library";
import { afterAll, beforeAll } from "vitest";
import { type AppSessions, openSessions } from "../../../src/app/sessions.js";
import { type Keymap, loadTheme } from "../../../src/config/index.js";
import { Engine, Worker } from "../../../src/engine/index.js";
import { FINAL_RUN } from "../../../src/model/run-model.js";
import { WorkflowSchema } from "../../../src/spec/index.js";
import { DraftStore, type StoreKeys, storeKeys } from "../../../src/store/index.js";
import { type Start, WeftApp } from "../../../src/tui/app.js";
import { createLayoutService, type LayoutService } from "../../../src/tui/canvas/layout-service.js";
import { createLook } from "../../../src/tui/theme.js";
import { startRedis, type TestRedis } from "../../support/redis.js";

export const root = resolve(import.meta.dirname, "../../..");
export const ACTOR = { user: "grace", host: "ops-box" };
export const LOOK = createLook(loadTheme("no-color"), "unicode");
export const KEYMAPS = ["default", "vim"] as const;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// The store: one Redis for the file, and per context a fresh key prefix seeded with what it needs.

export const task = (id: string, more: object = {}) => ({
  id,
  kind: "task",
  handler: "noop",
  ...more,
});
export const CHAIN = ["start", "a", "b", "c", "d", "e", "f"];
/** A chain tall enough to scroll, then `left`, `mid` and `right` side by side, then `end`. */
export function tall(
  name: string,
  side: { left: object; mid: object; right: object },
  more: object = {},
) {
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

export const CHILD = {
  name: "child",
  nodes: [task("c1"), task("c2")],
  edges: [{ from: "c1", to: "c2" }],
};
/** Three parameters, each a warning (required with a default): three findings, and a run form. */
export const EVIDENCE = tall(
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
export const EVIDENCE_V1 = {
  ...EVIDENCE,
  nodes: [...EVIDENCE.nodes, ...Array.from({ length: 30 }, (_, i) => task(`pad${i + 10}`))],
};
export const LOG_LINES = 'for i in $(seq 1 200); do echo "line $i"; done';
export const WATCH = tall("watch", {
  left: { kind: "subworkflow", workflow: "child" },
  mid: task("mid", { handler: "shell", with: { command: ["sh", "-c", LOG_LINES] } }),
  right: task("right", { handler: "fail", with: { message: "no" }, retries: { max: 0 } }),
});
/** A run no worker serves: it waits, running, on a queue nobody reads. */
export const STUCK = {
  name: "stuck",
  nodes: [{ id: "nap", kind: "delay", duration: "1h", queue: "nowhere" }],
};
export const BOOM = {
  name: "boom",
  nodes: [
    task("charge", {
      handler: "shell",
      with: { command: ["sh", "-c", `${LOG_LINES}; exit 3`] },
      retries: { max: 0 },
    }),
  ],
};

export let server: TestRedis;
export let layout: LayoutService;
export let prefixes = 0;

export interface World {
  keys: StoreKeys;
  engine: Engine;
  ids: Record<string, string>;
  stop(): Promise<void>;
}

export async function save(w: World, ...specs: object[]): Promise<void> {
  const result = await w.engine.registry.save(
    specs.map((s) => WorkflowSchema.parse(s)),
    { message: "init" },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.findings));
}

export async function finished(w: World, ids: string[]): Promise<void> {
  for (const id of ids)
    for (let i = 0; !FINAL_RUN.has((await w.engine.status(id)).fields.status ?? ""); i++) {
      if (i > 500) throw new Error(`run ${id} did not finish`);
      await sleep(20);
    }
}

export const SEEDS = {
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
export type Seed = keyof typeof SEEDS;

export async function makeWorld(seeds: readonly Seed[]): Promise<World> {
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

export const draftsOf = (w: World) => new DraftStore(server.redis, w.keys, ACTOR.user);

/** What a stray key must not change: versions, the draft, runs and dead letters. */
export async function storeState(w: World, app: Running): Promise<string> {
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

export interface Running {
  frame(): string;
  write(bytes: string): void;
  /** Ink let go of stdin: the app ended. */
  exited(): boolean;
  sessions: AppSessions;
  close(): Promise<void>;
}

export type Size = { width: number; height: number };

export function openApp(keymap: Keymap, w: World, start: Start, size: Size): Running {
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
export const SGR = /\x1b\[[0-9;]*m/g;
/** The text of a frame, without its styles. */
export const plain = (frame: string) => frame.replace(SGR, "");
/** A frame as compared: ages (`3s ago`) move with the clock and are left out. */
export const norm = (frame: string) => frame.replace(/\b\d+[smhd] ago\b/g, "_ ago");

export type Check = string | RegExp | ((plainFrame: string) => boolean);
export const holds = (check: Check, frame: string) =>
  typeof check === "string"
    ? plain(frame).includes(check)
    : check instanceof RegExp
      ? check.test(plain(frame))
      : check(plain(frame));

export async function poll(ok: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await ok()) return true;
    if (Date.now() > end) return false;
    await sleep(4);
  }
}

/** Until the frame has not changed for `ms`. */
export async function quiet(app: Running, ms: number): Promise<void> {
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

export async function waitFor(app: Running, check: Check, ms = 8000): Promise<void> {
  if (!(await poll(() => holds(check, app.frame()), ms)))
    throw new Error(`timed out waiting for ${String(check)}; frame:\n${plain(app.frame())}`);
}
