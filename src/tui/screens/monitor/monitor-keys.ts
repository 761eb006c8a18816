/**
 * The monitor's keys: moving around the canvas, the details panel, and the operator actions
 * (cancel, retry, drive a run no worker serves), each refused with its reason when it does not
 * apply. It changes the screen's state through `update` and never draws.
 */
import type { RunSession } from "../../../app/runs/run-session.js";
import type { LiveRun } from "../../../app/runs/run-state.js";
import type { Command, Context } from "../../../config/index.js";
import {
  type CellGeometry,
  type Density,
  type Direction,
  nearestInDirection,
} from "../../../layout/index.js";
import type { Workflow, WorkflowNode } from "../../../spec/index.js";

export type Mode =
  | { type: "none" }
  | { type: "details"; node: string; scroll: number; follow: boolean }
  /**
   * `now`: the operator asked to kill the run's tasks at once, without their kill grace. A saga's
   * run then asks whether to undo what succeeded (`undo`, with the reason typed and the choice).
   */
  | { type: "cancel"; step: "code" | "reason"; now?: boolean }
  | { type: "cancel"; step: "undo"; now?: boolean; reason: string; cursor: number }
  | { type: "retry"; cursor: number }
  | { type: "find" }
  | { type: "busy"; text: string };

export interface Ui {
  selected?: string;
  view: { x: number; y: number };
  direction: Direction;
  density: Density;
  mode: Mode;
  message?: { error: boolean; text: string };
}

export interface MonitorKeyContext {
  id: string;
  runs: RunSession;
  ui(): Ui;
  update(change: (u: Ui) => Ui): void;
  say(text: string, error?: boolean): void;
  /** Runs an action, showing `busy` meanwhile and what it said after. */
  act(what: Promise<string>, busy: string): void;
  select(id: string | undefined, centre?: boolean): void;
  /** The run no longer waits for a worker: this terminal drives it. */
  served(): void;
  workflow: Workflow;
  nodesById: ReadonlyMap<string, WorkflowNode>;
  geometry: CellGeometry | undefined;
  live: LiveRun | undefined;
  running: boolean;
  unserved: readonly string[];
  /** The details panel sits beside the canvas (wide screens): arrows keep moving on the canvas. */
  detailsBeside: boolean;
  detailsVisible: number;
  detailLineCount(): number;
  back(): void;
  quit(): void;
  help(): void;
  runsList(): void;
  deadLetters(): void;
  /** The key that gives `command` in `context`, for a hint's text. */
  keyOf(command: Command, context: Context): string;
  openRun(id: string): void;
}

/** The mark that, typed with the code, cancels without kill grace; run ids never contain it. */
export const CANCEL_NOW_MARK = "!";

/** What the cancel prompt's text says: whether it is the run id's last 4 characters, and "now". */
export function readCancelCode(text: string, last4: string): { matches: boolean; now: boolean } {
  const code = text.split(CANCEL_NOW_MARK).join("").trim();
  return {
    matches: code.toLowerCase() === last4.toLowerCase(),
    now: text.includes(CANCEL_NOW_MARK),
  };
}

const disabledReason = (ctx: MonitorKeyContext, name: "cancel" | "retry") =>
  ctx.runs.actions(ctx.live?.status ?? "").find((a) => a.name === name)?.reason;

/** The keys that move between a question's choices. */
const sideways = (command: Command | undefined) =>
  command === "moveLeft" ||
  command === "moveRight" ||
  command === "nextNode" ||
  command === "previousNode";

/** Which keymap context the monitor's keys are read in. */
export function monitorContext(ui: Ui): Context {
  switch (ui.mode.type) {
    case "details":
      return "details";
    case "retry":
      return "choice";
    case "cancel":
      return ui.mode.step === "undo" ? "choice" : "text";
    case "find":
      return "text";
    default:
      return "monitor";
  }
}

export function handleMonitorKey(ctx: MonitorKeyContext, command: Command | undefined): void {
  const u = ctx.ui();
  const setUi = ctx.update;
  const say = ctx.say;
  // Help opens over any question, which is still there when help closes.
  if (command === "help" && u.mode.type !== "cancel" && u.mode.type !== "find") return ctx.help();
  if (u.mode.type === "cancel" && u.mode.step === "undo") {
    const m = u.mode;
    if (command === "back") return setUi((x) => ({ ...x, mode: { type: "none" } }));
    if (sideways(command)) return setUi((x) => ({ ...x, mode: { ...m, cursor: 1 - m.cursor } }));
    if (command === "submit")
      return ctx.act(
        ctx.runs.cancel(ctx.id, m.reason, { now: m.now === true, compensate: m.cursor === 1 }),
        m.cursor === 1 ? "cancelling and undoing…" : "cancelling…",
      );
    return;
  }
  if (u.mode.type === "cancel" || u.mode.type === "find" || u.mode.type === "busy") return;
  if (u.mode.type === "retry") {
    if (command === "back") return setUi((x) => ({ ...x, mode: { type: "none" } }));
    if (sideways(command)) {
      const step = command === "moveLeft" || command === "previousNode" ? -1 : 1;
      return setUi((x) =>
        x.mode.type === "retry"
          ? { ...x, mode: { type: "retry", cursor: (x.mode.cursor + step + 3) % 3 } }
          : x,
      );
    }
    if (command === "submit") {
      const choice = u.mode.cursor;
      if (choice === 1 && !u.selected) return say("select a node first", true);
      return ctx.act(
        ctx.runs.retry(
          ctx.id,
          choice === 0 ? {} : choice === 1 ? { from: u.selected } : { fromScratch: true },
        ),
        "retrying…",
      );
    }
    return;
  }
  const inDetails = u.mode.type === "details";
  switch (command) {
    case "back":
      // One press closes one thing: the node details, else the screen. A message on the status
      // line is not a thing to close; it goes with what Esc closes.
      if (inDetails) return setUi((x) => ({ ...x, mode: { type: "none" }, message: undefined }));
      return ctx.back();
    case "quit":
      return ctx.quit();
    case "help":
      return ctx.help();
    case "runs":
      return ctx.runsList();
    case "deadLetters":
      return ctx.deadLetters();
    case "moveUp":
    case "moveDown":
      if (inDetails && !ctx.detailsBeside) return scrollDetails(ctx, command === "moveUp" ? -1 : 1);
      return move(ctx, command === "moveUp" ? "up" : "down");
    case "moveLeft":
    case "moveRight":
      return move(ctx, command === "moveLeft" ? "left" : "right");
    case "pageUp":
    case "pageDown":
      return scrollDetails(ctx, (command === "pageUp" ? -1 : 1) * ctx.detailsVisible);
    case "nextNode":
    case "previousNode": {
      const nodes = ctx.workflow.nodes;
      if (nodes.length === 0) return;
      const i = nodes.findIndex((n) => n.id === u.selected);
      const step = command === "nextNode" ? 1 : -1;
      return ctx.select(nodes[(i + step + nodes.length) % nodes.length]!.id);
    }
    case "centre":
      return ctx.select(u.selected, true);
    case "zoom":
      return setUi((x) => ({ ...x, density: x.density === "full" ? "compact" : "full" }));
    case "toggleDirection":
      return setUi((x) => ({ ...x, direction: x.direction === "down" ? "right" : "down" }));
    case "find":
      return setUi((x) => ({ ...x, mode: { type: "find" } }));
    case "inspect":
      if (!u.selected) return;
      return setUi((x) => ({
        ...x,
        mode: { type: "details", node: u.selected!, scroll: 0, follow: false },
      }));
    case "follow":
      if (!inDetails)
        return say(`open a node's details (${ctx.keyOf("inspect", "monitor")}) to follow its log`);
      return setUi((x) =>
        x.mode.type === "details" ? { ...x, mode: { ...x.mode, follow: !x.mode.follow } } : x,
      );
    case "openChild": {
      const node = u.selected ? ctx.nodesById.get(u.selected) : undefined;
      if (node?.kind !== "subworkflow")
        return say("select a sub-workflow node to open its run", true);
      const state = ctx.live?.nodes.get(node.id);
      if (!state || state.attempt === 0) return say(`${node.id} has not started a run yet`, true);
      return ctx.openRun(`${ctx.id}.${node.id}.${state.attempt}`);
    }
    case "run":
      if (!ctx.running || ctx.unserved.length === 0)
        return say("the run does not need driving: a worker serves its queues, or it is over");
      return ctx.act(
        ctx.runs.drive(ctx.id).then(() => {
          ctx.served();
          return `driving run ${ctx.id} from this terminal until it ends or you leave`;
        }),
        "starting…",
      );
    case "cancelRun": {
      const reason = disabledReason(ctx, "cancel");
      if (reason) return say(`cannot cancel: ${reason}`, true);
      return setUi((x) => ({ ...x, mode: { type: "cancel", step: "code" } }));
    }
    case "retryRun": {
      const reason = disabledReason(ctx, "retry");
      if (reason) return say(`cannot retry: ${reason}`, true);
      return setUi((x) => ({ ...x, mode: { type: "retry", cursor: 0 } }));
    }
    default:
      return;
  }
}

function move(ctx: MonitorKeyContext, direction: "up" | "down" | "left" | "right"): void {
  const { selected } = ctx.ui();
  if (!selected) return ctx.select(ctx.workflow.nodes[0]?.id);
  if (!ctx.geometry) return;
  const next = nearestInDirection(ctx.geometry, selected, direction);
  if (next) ctx.select(next);
}

function scrollDetails(ctx: MonitorKeyContext, by: number): void {
  const lines = ctx.detailLineCount();
  ctx.update((x) =>
    x.mode.type === "details"
      ? {
          ...x,
          mode: {
            ...x.mode,
            follow: false,
            scroll: Math.max(0, Math.min(x.mode.scroll + by, lines - ctx.detailsVisible)),
          },
        }
      : x,
  );
}
