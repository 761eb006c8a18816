/**
 * Issue 13's binding evidence, per context: its start state, the states some commands need to
 * act, what shows they acted (when not a changed frame) and the keys that return to the start
 * state.
 */
import type { Command, Context } from "../../../src/config/index.js";
import {
  after,
  CLEAR,
  canvas,
  canvasOnLeft,
  choiceOfHandler,
  conflict,
  details,
  detailsOnLeft,
  dlq,
  draft,
  edited,
  form,
  help,
  inChild,
  key,
  leave,
  letter,
  list,
  monitor,
  monitorOnLeft,
  quitDriving,
  retry,
  runAsSaved,
  runs,
  type State,
  type Step,
  stuckDetails,
  stuckMonitor,
  toDetails,
  toFindings,
  toForm,
  toHelp,
  toInspector,
  toLetter,
  toLetters,
  toPalettePanel,
  toText,
  toVersions,
  typed,
  undone,
  versions,
  viewer,
} from "./states.js";
import { type Check, draftsOf, type Running, type Seed, type World } from "./world.js";

// ---------------------------------------------------------------------------------------------
// Each context: its start state, the states some commands need to act, what shows they acted
// (when not a changed frame) and the keys that return to the start state (else it is reopened).

export interface Effect {
  exits?: boolean;
  shows?: Check;
  store?: { what: string; holds(w: World, app: Running): Promise<boolean> };
}

export interface ContextSpec {
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

export const EXITS: Effect = { exits: true };
export const opposite = (context: Context, pairs: [Command, Command][]) =>
  Object.fromEntries(
    pairs.flatMap(([a, b]) => [[a, [key(b, context)]] as const, [b, [key(a, context)]] as const]),
  );
export const backFrom = (context: Context, ...commands: Command[]) =>
  Object.fromEntries(commands.map((c) => [c, [key("back", context)]] as const));
/** The common returns of the designer's panels (help, run form, prompts, versions, runs list). */
export const designerReturns = (): Partial<Record<Command, Step[]>> => ({
  help: [key("back", "help")],
  run: [key("back", "form")],
  save: [key("back", "text")],
  export: [key("back", "text")],
  versions: [key("back", "versions")],
  runs: [key("back", "runs")],
});
export const FOCUS_FINDINGS = [key("focusNext", "canvas"), key("focusNext", "inspector")];
export const FOCUS_PALETTE = [key("focusNext", "canvas"), key("focusNext", "inspector")];

export const SPECS: Record<Context, ContextSpec> = {
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
export const UNREACHABLE: Partial<Record<`${Context} ${Command}`, string>> = {};
