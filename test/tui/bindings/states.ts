/**
 * Issue 13's binding evidence, states: where the app is brought, and the steps (commands,
 * text, waits) that get it there.
 */
import type { Command, Context } from "../../../src/config/index.js";
import { WorkflowSchema } from "../../../src/spec/index.js";
import type { Start } from "../../../src/tui/app.js";
import {
  type Check,
  draftsOf,
  EVIDENCE,
  type Running,
  type Size,
  task,
  type World,
} from "./world.js";

// ---------------------------------------------------------------------------------------------
// States: where the app is opened and the commands that bring it into a context.

export type Step =
  | { cmd: Command; in: Context; times?: number }
  | { text: string }
  | { until: Check }
  /** The designer: Tab until the inspector shows this node. */
  | { select: string }
  | { act: (app: Running, w: World) => Promise<void> };

export interface State {
  name: string;
  start(w: World): Start;
  size: Size;
  ready: Check;
  steps: Step[];
  /** Before opening (a draft to offer). */
  prepare?(w: World): Promise<void>;
}

export const key = (cmd: Command, context: Context, times = 1): Step => ({
  cmd,
  in: context,
  times,
});
export const typed = (text: string): Step => ({ text });
export const until = (check: Check): Step => ({ until: check });
export const act = (run: (app: Running, w: World) => Promise<void>): Step => ({ act: run });
export const after = (base: State, name: string, ...steps: Step[]): State => ({
  ...base,
  name,
  steps: [...base.steps, ...steps],
});

/** Clears the designer's message line: the find prompt, cancelled. */
export const CLEAR = [key("find", "canvas"), key("back", "text")];
export const WIDE = { width: 100, height: 32 };

export const canvas: State = {
  name: "evidence on the canvas, mid selected",
  start: () => ({ type: "workflow", ref: "evidence" }),
  size: WIDE,
  ready: (f) => f.includes("Properties · Node start") && !f.includes("laying out"),
  steps: [{ select: "mid" }],
};
export const canvasOnLeft = {
  ...canvas,
  name: "the sub-workflow node selected",
  steps: [{ select: "left" }],
};
export const inChild = after(
  canvasOnLeft,
  "in the child",
  key("openChild", "canvas"),
  until("› child"),
);
export const edited = after(canvas, "one edit", key("duplicate", "canvas"), ...CLEAR);
export const undone = after(edited, "one edit undone", key("undo", "canvas"), ...CLEAR);
export const toInspector = [key("inspect", "canvas"), key("moveDown", "inspector", 2)];
export const toFindings = [key("toggleFindings", "canvas"), key("moveDown", "findings")];
export const toPalettePanel = [key("togglePalette", "canvas"), key("moveDown", "palettePanel")];
export const toText = [key("save", "canvas"), typed("ab cd ef"), key("cursorLeft", "text", 4)];
export const toVersions = [key("versions", "canvas"), until("Versions of evidence")];

export const versions = after(
  canvas,
  "v2 in the version list",
  ...toVersions,
  key("moveUp", "versions"),
);
export const viewer = after(
  canvas,
  "the diff with v1, scrolled",
  ...toVersions,
  key("moveUp", "versions", 2),
  key("diffVersion", "versions"),
  until("Diff evidence@1"),
  key("moveDown", "viewer", 2),
);
export const choiceOfHandler = after(
  canvas,
  "the handler choice",
  key("inspect", "canvas"),
  key("moveDown", "inspector", 4),
  key("inspect", "inspector"),
  until("handler:"),
);
export const toHelp = [key("help", "canvas"), until("weft · help · canvas"), typed("e")];
export const help = after(
  canvas,
  "canvas help, searched, scrolled",
  ...toHelp,
  key("moveDown", "help", 2),
);
export const toForm = [key("run", "canvas"), until("Start the run"), key("moveDown", "form")];
export const form = after(canvas, "the run form, on mode", ...toForm);

export const list: State = {
  name: "the list filtered by `e`, second row",
  start: () => ({ type: "list" }),
  size: WIDE,
  ready: "extra-2",
  steps: [typed("e"), until("(3/4)"), key("moveDown", "list")],
};

// The designer's questions.
export const dirty = [key("duplicate", "canvas"), until("(unsaved)")];
export const leave = after(
  canvas,
  "leave?",
  ...dirty,
  key("back", "canvas"),
  until("Back to the list?"),
);
export const runAsSaved = after(
  canvas,
  "run as saved?",
  ...dirty,
  key("run", "canvas"),
  until("saves first"),
);
export let conflicts = 0;
export const conflict = after(
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
export const draft: State = {
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
export const quitDriving: State = {
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
export const MONITOR = { width: 120, height: 36 };
/** Selects a node of the monitor by finding it: no count of presses to go wrong under load. */
export const findNode = (id: string) => [key("find", "monitor"), typed(id), key("submit", "text")];
export const toMonitor = [key("inspect", "runs"), until("FAILED"), until("Canvas · x")];
export const monitor: State = {
  name: "the failed run, mid selected",
  start: () => ({ type: "runs", workflow: "watch" }),
  size: MONITOR,
  ready: "watch@1",
  steps: [...toMonitor, ...findNode("mid")],
};
export const monitorOnLeft = after(
  { ...monitor, steps: toMonitor },
  "the failed run, its sub-workflow selected",
  ...findNode("left"),
);
export const stuckMonitor: State = {
  name: "a run no worker serves",
  start: () => ({ type: "runs", workflow: "stuck" }),
  size: MONITOR,
  ready: "stuck@1",
  steps: [key("inspect", "runs"), until("no worker serves queue nowhere")],
};
export const toDetails = [key("inspect", "monitor"), until("line 20")];
export const details = after(
  monitor,
  "mid's details, a page down",
  ...toDetails,
  key("pageDown", "details"),
);
export const detailsOnLeft = after(
  monitorOnLeft,
  "the sub-workflow's details",
  key("inspect", "monitor"),
);
export const stuckDetails = after(
  stuckMonitor,
  "details of a run no worker serves",
  key("inspect", "monitor"),
);
export const retry = after(
  monitor,
  "the retry choice",
  key("retryRun", "monitor"),
  until("Retry:"),
);
export const runs: State = {
  name: "nine runs, the second selected",
  start: () => ({ type: "runs" }),
  size: { width: 90, height: 12 },
  ready: "(more: PgDn)",
  steps: [key("moveDown", "runs")],
};
export const toLetters = [
  key("deadLetters", "runs"),
  until("Dead letters · 6"),
  key("moveDown", "dlq"),
];
export const dlq: State = {
  name: "six dead letters, the second selected",
  start: () => ({ type: "runs" }),
  size: WIDE,
  ready: "boom@1",
  steps: toLetters,
};
export const toLetter = [key("inspect", "dlq"), until("line 190"), key("moveDown", "letter")];
export const letter = after(dlq, "a letter's details, scrolled", ...toLetter);
