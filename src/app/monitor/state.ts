/**
 * The monitor screen's state, what reaches its reducer (actions, and the world as `env`) and
 * what it asks for (effects), with the pure readings of that state the screen also draws from.
 */
import type { Command, Context } from "../../config/index.js";
import type { CellGeometry, Density, Direction } from "../../layout/index.js";
import type { Workflow, WorkflowNode } from "../../spec/index.js";
import type { LiveRun } from "../runs/run-state.js";
import type { Settled, StatusMessage, Step } from "../screen-step.js";

export type MonitorMode =
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

export interface MonitorState {
  selected?: string;
  view: { x: number; y: number };
  direction: Direction;
  density: Density;
  mode: MonitorMode;
  message?: StatusMessage;
  /** The operator moved around: arriving positions no longer scroll to the selection. */
  moved: boolean;
}

export type MonitorAction =
  | { type: "command"; command: Command | undefined }
  /** The run's workflow arrived: the first node of the flow is selected unless one is. */
  | { type: "opened" }
  /** Positions arrived (provisional, then elk's or the stored ones). */
  | { type: "placed" }
  /** The details follow the log: its end stays in view. */
  | { type: "followed" }
  | { type: "say"; text: string; error?: boolean }
  /** An operator action (an effect) is over: what it said, or why it failed. */
  | Settled
  | { type: "cancelCode"; text: string }
  | { type: "cancelReason"; text: string }
  | { type: "findNode"; text: string }
  /** Esc on a prompt: `quiet` also clears the status line. */
  | { type: "closePrompt"; quiet?: boolean };

export type RetryFrom = { from?: string; fromScratch?: boolean };

export type MonitorEffect =
  | { type: "back" }
  | { type: "quit" }
  | { type: "help" }
  | { type: "runsList" }
  | { type: "deadLetters" }
  | { type: "openRun"; id: string }
  | { type: "cancel"; reason: string; now: boolean; compensate: boolean }
  | { type: "retry"; options: RetryFrom }
  /** Drive the run from this terminal (no worker serves its queues). */
  | { type: "drive" };

/** What the reducer reads of the world: the run, its layout and the screen's size. */
export interface MonitorEnv {
  id: string;
  workflow: Workflow;
  nodesById: ReadonlyMap<string, WorkflowNode>;
  geometry: CellGeometry | undefined;
  viewport: { width: number; height: number };
  live: LiveRun | undefined;
  running: boolean;
  unserved: readonly string[];
  /** The details panel sits beside the canvas (wide screens): arrows keep moving on the canvas. */
  detailsBeside: boolean;
  detailsVisible: number;
  detailLineCount: number;
  /** Why cancel or retry is refused for the run as it is, if it is. */
  refusal(action: "cancel" | "retry"): string | undefined;
  /** The key that gives `command` in `context`, for a message's text. */
  keyOf(command: Command, context: Context): string;
}

export type MonitorStep = Step<MonitorState, MonitorEffect>;

export function initialMonitorState(notice?: string): MonitorState {
  return {
    view: { x: 0, y: 0 },
    direction: "down",
    density: "full",
    mode: { type: "none" },
    moved: false,
    ...(notice ? { message: { error: false, text: notice } } : {}),
  };
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

/** The answers of the retry question, in the order its cursor counts them. */
export const retryChoices = (state: MonitorState) => [
  "failed and unfinished nodes",
  `from ${state.selected ?? "the selected node"}`,
  "from scratch",
];

/** Which keymap context the monitor's keys are read in. */
export function monitorContext(state: MonitorState): Context {
  switch (state.mode.type) {
    case "details":
      return "details";
    case "retry":
      return "choice";
    case "cancel":
      return state.mode.step === "undo" ? "choice" : "text";
    case "find":
      return "text";
    default:
      return "monitor";
  }
}
