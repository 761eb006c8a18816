/**
 * The monitor screen's one reducer: `(state, action, env) → state and effects` (the types are in
 * state.ts). Keys arrive as commands, prompts as what was typed, and the live run (positions,
 * states, what a worker serves) as `env`; the screen draws the state and runs the effects
 * (leaving, help, and the operator actions on Redis), whose outcome comes back as a `settled`
 * action. Nothing here draws, waits or touches Redis.
 */
import type { Command } from "../../config/index.js";
import { centreOn, nearestInDirection, scrollToShow } from "../../layout/index.js";
import { findNodes } from "../editor/index.js";
import { emit, only, said } from "../screen-step.js";
import {
  type MonitorAction,
  type MonitorEffect,
  type MonitorEnv,
  type MonitorState,
  type MonitorStep,
  readCancelCode,
} from "./state.js";

const none = { type: "none" } as const;
/** An operator action starts: the status line says `busy` until it settles. */
const acting = (state: MonitorState, busy: string, effect: MonitorEffect): MonitorStep =>
  emit({ ...state, mode: { type: "busy", text: busy } }, effect);

/** The keys that move between a question's choices. */
const sideways = (command: Command | undefined) =>
  command === "moveLeft" ||
  command === "moveRight" ||
  command === "nextNode" ||
  command === "previousNode";

export function reduceMonitor(
  state: MonitorState,
  action: MonitorAction,
  env: MonitorEnv,
): MonitorStep {
  switch (action.type) {
    case "command":
      // A key that comes before the first selection is drawn acts from it all the same.
      return onCommand(withSelection(state, env), action.command, env);
    case "opened":
      return only(withSelection(state, env));
    case "placed":
      if (state.moved || !env.geometry || !state.selected) return only(state);
      return only({
        ...state,
        view: scrollToShow(env.geometry, state.selected, { ...state.view, ...env.viewport }),
      });
    case "followed":
      if (state.mode.type !== "details" || !state.mode.follow) return only(state);
      return only({
        ...state,
        mode: { ...state.mode, scroll: Math.max(0, env.detailLineCount - env.detailsVisible) },
      });
    case "say":
      return said(state, action.text, action.error);
    case "settled":
      return only({ ...state, mode: none, message: { error: action.error, text: action.text } });
    case "cancelCode": {
      const last4 = env.id.slice(-4);
      const { matches, now } = readCancelCode(action.text, last4);
      if (!matches)
        return said(state, `type ${last4} to cancel, or ${env.keyOf("back", "text")}`, true);
      return only({ ...state, mode: { type: "cancel", step: "reason", now } });
    }
    case "cancelReason": {
      if (state.mode.type !== "cancel") return only(state);
      const now = state.mode.now === true;
      const reason = action.text.trim();
      const saga = env.workflow.nodes.some(
        (n) => n.kind === "task" && n.compensation !== undefined,
      );
      // A saga's run asks once more: stop only, or also undo what succeeded.
      if (saga && env.live?.status !== "compensating")
        return only({ ...state, mode: { type: "cancel", step: "undo", now, reason, cursor: 0 } });
      return acting(state, "cancelling…", { type: "cancel", reason, now, compensate: false });
    }
    case "findNode": {
      const closed = { ...state, mode: none };
      return only(select(closed, findNodes(env.workflow, action.text)[0], env, true));
    }
    case "closePrompt":
      return only({ ...state, mode: none, ...(action.quiet ? { message: undefined } : {}) });
  }
}

function onCommand(
  state: MonitorState,
  command: Command | undefined,
  env: MonitorEnv,
): MonitorStep {
  const mode = state.mode;
  // Help opens over any question, which is still there when help closes.
  if (command === "help" && mode.type !== "cancel" && mode.type !== "find")
    return emit(state, { type: "help" });
  if (mode.type === "cancel" && mode.step === "undo") {
    if (command === "back") return only({ ...state, mode: none });
    if (sideways(command)) return only({ ...state, mode: { ...mode, cursor: 1 - mode.cursor } });
    if (command === "submit")
      return acting(state, mode.cursor === 1 ? "cancelling and undoing…" : "cancelling…", {
        type: "cancel",
        reason: mode.reason,
        now: mode.now === true,
        compensate: mode.cursor === 1,
      });
    return only(state);
  }
  // The prompts edit their own text; a busy screen waits for its action.
  if (mode.type === "cancel" || mode.type === "find" || mode.type === "busy") return only(state);
  if (mode.type === "retry") {
    if (command === "back") return only({ ...state, mode: none });
    if (sideways(command)) {
      const step = command === "moveLeft" || command === "previousNode" ? -1 : 1;
      return only({ ...state, mode: { type: "retry", cursor: (mode.cursor + step + 3) % 3 } });
    }
    if (command !== "submit") return only(state);
    if (mode.cursor === 1 && !state.selected) return said(state, "select a node first", true);
    const options =
      mode.cursor === 0 ? {} : mode.cursor === 1 ? { from: state.selected } : { fromScratch: true };
    return acting(state, "retrying…", { type: "retry", options });
  }
  const inDetails = mode.type === "details";
  switch (command) {
    case "back":
      // One press closes one thing: the node details, else the screen. A message on the status
      // line is not a thing to close; it goes with what Esc closes.
      if (inDetails) return only({ ...state, mode: none, message: undefined });
      return emit(state, { type: "back" });
    case "quit":
      return emit(state, { type: "quit" });
    case "runs":
      return emit(state, { type: "runsList" });
    case "deadLetters":
      return emit(state, { type: "deadLetters" });
    case "moveUp":
    case "moveDown":
      if (inDetails && !env.detailsBeside)
        return only(scrollDetails(state, command === "moveUp" ? -1 : 1, env));
      return only(move(state, command === "moveUp" ? "up" : "down", env));
    case "moveLeft":
    case "moveRight":
      return only(move(state, command === "moveLeft" ? "left" : "right", env));
    case "pageUp":
    case "pageDown":
      return only(scrollDetails(state, (command === "pageUp" ? -1 : 1) * env.detailsVisible, env));
    case "nextNode":
    case "previousNode": {
      const nodes = env.workflow.nodes;
      if (nodes.length === 0) return only(state);
      const i = nodes.findIndex((n) => n.id === state.selected);
      const step = command === "nextNode" ? 1 : -1;
      return only(select(state, nodes[(i + step + nodes.length) % nodes.length]!.id, env));
    }
    case "centre":
      return only(select(state, state.selected, env, true));
    case "zoom":
      return only({ ...state, density: state.density === "full" ? "compact" : "full" });
    case "toggleDirection":
      return only({ ...state, direction: state.direction === "down" ? "right" : "down" });
    case "find":
      return only({ ...state, mode: { type: "find" } });
    case "inspect":
      if (!state.selected) return only(state);
      return only({
        ...state,
        mode: { type: "details", node: state.selected, scroll: 0, follow: false },
      });
    case "follow":
      if (mode.type !== "details")
        return said(
          state,
          `open a node's details (${env.keyOf("inspect", "monitor")}) to follow its log`,
        );
      return only({ ...state, mode: { ...mode, follow: !mode.follow } });
    case "openChild": {
      const node = state.selected ? env.nodesById.get(state.selected) : undefined;
      if (node?.kind !== "subworkflow")
        return said(state, "select a sub-workflow node to open its run", true);
      const nodeState = env.live?.nodes.get(node.id);
      if (!nodeState || nodeState.attempt === 0)
        return said(state, `${node.id} has not started a run yet`, true);
      return emit(state, { type: "openRun", id: `${env.id}.${node.id}.${nodeState.attempt}` });
    }
    case "run":
      if (!env.running || env.unserved.length === 0)
        return said(
          state,
          "the run does not need driving: a worker serves its queues, or it is over",
        );
      return acting(state, "starting…", { type: "drive" });
    case "cancelRun": {
      const reason = env.refusal("cancel");
      if (reason) return said(state, `cannot cancel: ${reason}`, true);
      return only({ ...state, mode: { type: "cancel", step: "code" } });
    }
    case "retryRun": {
      const reason = env.refusal("retry");
      if (reason) return said(state, `cannot retry: ${reason}`, true);
      return only({ ...state, mode: { type: "retry", cursor: 0 } });
    }
    default:
      return only(state);
  }
}

/** The state with a node selected: the first of the flow (compensations stand aside). */
function withSelection(state: MonitorState, env: MonitorEnv): MonitorState {
  if (state.selected) return state;
  const nodes = env.workflow.nodes;
  const first = nodes.find((n) => n.kind !== "compensation") ?? nodes[0];
  return first ? { ...state, selected: first.id } : state;
}

/** Selects `id` and scrolls it into view (or centres it); open details follow the selection. */
function select(
  state: MonitorState,
  id: string | undefined,
  env: MonitorEnv,
  centre = false,
): MonitorState {
  if (!id || !env.geometry) return state;
  return {
    ...state,
    moved: true,
    selected: id,
    view: centre
      ? centreOn(env.geometry, id, env.viewport)
      : scrollToShow(env.geometry, id, { ...state.view, ...env.viewport }),
    mode: state.mode.type === "details" ? { ...state.mode, node: id, scroll: 0 } : state.mode,
  };
}

function move(
  state: MonitorState,
  direction: "up" | "down" | "left" | "right",
  env: MonitorEnv,
): MonitorState {
  if (!state.selected) return select(state, env.workflow.nodes[0]?.id, env);
  if (!env.geometry) return state;
  const next = nearestInDirection(env.geometry, state.selected, direction);
  return next ? select(state, next, env) : state;
}

function scrollDetails(state: MonitorState, by: number, env: MonitorEnv): MonitorState {
  if (state.mode.type !== "details") return state;
  const last = env.detailLineCount - env.detailsVisible;
  return {
    ...state,
    mode: {
      ...state.mode,
      follow: false,
      scroll: Math.max(0, Math.min(state.mode.scroll + by, last)),
    },
  };
}
