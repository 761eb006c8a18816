/**
 * The designer screen's one reducer: `(state, action, env) → state and effects`. Keys arrive
 * as commands, prompts as what was typed, effects' outcomes as actions; `env` is what the screen
 * measured (positions, viewport, findings) and how keys are named. The handlers in this folder
 * change a local copy of the state through `update` and ask for effects through `emit`; nothing
 * here draws, waits, or touches Redis or files: the screen runs the effects.
 */
import type { Command, Context } from "../../../config/index.js";
import { type CellGeometry, scrollToShow } from "../../../layout/index.js";
import type { Finding } from "../../../spec/index.js";
import { onOutcome } from "./actions.js";
import { cancelPrompt, submitPrompt } from "./dialogs.js";
import type { DesignerEffect, DesignerOutcome } from "./effects.js";
import type { KeyContext } from "./key-context.js";
import { handleKey } from "./keys.js";
import type { DesignerUi } from "./state.js";

export type DesignerAction =
  | { type: "command"; command: Command | undefined; typed?: string }
  /** Enter in the open prompt, with its text. */
  | { type: "submit"; text: string }
  /** Esc in the open prompt. */
  | { type: "cancelPrompt" }
  /** Positions arrived that place `id`: scroll it into view. */
  | { type: "reveal"; id: string }
  | DesignerOutcome;

export interface DesignerEnv {
  geometry: CellGeometry | undefined;
  viewport: { width: number; height: number };
  findings: Finding[];
  /** Runs can be started from here. */
  canRun: boolean;
  /** The key that gives `command` in `context` (a question's answers: in `prompt`). */
  keyOf(command: Command, context: Context): string;
}

export function reduceDesigner(
  state: DesignerUi,
  action: DesignerAction,
  env: DesignerEnv,
): { state: DesignerUi; effects: DesignerEffect[] } {
  let next = state;
  const effects: DesignerEffect[] = [];
  const ctx: KeyContext = {
    ui: () => next,
    update: (change) => {
      next = change(next);
    },
    say: (text, error = false) => {
      next = { ...next, message: text === "" ? undefined : { error, text } };
    },
    emit: (effect) => effects.push(effect),
    geometry: () => env.geometry,
    viewport: () => env.viewport,
    findings: () => env.findings,
    canRun: env.canRun,
    choiceKey: (command) => env.keyOf(command, "prompt"),
    keyOf: env.keyOf,
  };
  switch (action.type) {
    case "command":
      handleKey(ctx, action.command, action.typed);
      break;
    case "submit":
      submitPrompt(ctx, action.text);
      break;
    case "cancelPrompt":
      cancelPrompt(ctx);
      break;
    case "reveal":
      if (env.geometry)
        next = {
          ...next,
          view: scrollToShow(env.geometry, action.id, { ...next.view, ...env.viewport }),
        };
      break;
    default:
      onOutcome(ctx, action);
  }
  return { state: next, effects };
}
