/**
 * The dead-letter view's state and its one reducer: `(state, action, env) → state and effects`.
 * Keys arrive as commands, each read of the list and each answer of Redis as actions; the
 * screen reads the list every second, draws the state and runs the effects (requeue, purge,
 * a letter's log, leaving).
 */
import type { Command } from "../../config/index.js";
import {
  emit,
  only,
  type Step as ScreenStep,
  type Settled,
  type StatusMessage,
  said,
} from "../screen-step.js";
import type { DeadLetter, LetterList } from "./dead-letters.js";

export type LetterShown =
  | { type: "list" }
  | { type: "details"; letter: DeadLetter; scroll: number };
/** Asking before purging, over what was shown (`back`: where any key but `y` returns). */
export type LetterMode = LetterShown | { type: "purge"; letter: DeadLetter; back: LetterShown };

export interface LettersState {
  list?: LetterList;
  readError?: string;
  /** The letter under the cursor, and where it was (it may leave the list). */
  selected: { key?: string; index: number };
  mode: LetterMode;
  message?: StatusMessage;
  /** The node's log of the letter whose details are open, once read. */
  log?: { key: string; text: string | null };
}

export type LettersAction =
  | { type: "command"; command: Command | undefined }
  | { type: "listed"; list: LetterList }
  | { type: "listFailed"; message: string }
  | Settled
  | { type: "logRead"; key: string; text: string | null };

export type LettersEffect =
  | { type: "help" }
  | { type: "quit" }
  | { type: "back" }
  | { type: "runs" }
  | { type: "openRun"; id: string }
  | { type: "requeue"; letter: DeadLetter }
  | { type: "purge"; letter: DeadLetter }
  | { type: "readLog"; letter: DeadLetter }
  /** Read the list again (after a requeue or a purge). */
  | { type: "reload" };

export interface LettersEnv {
  listHeight: number;
  detailsVisible: number;
  /** How many lines the open details have. */
  detailLineCount: number;
}

export const letterKey = (l: Pick<DeadLetter, "run" | "node">): string => `${l.run}|${l.node}`;

/**
 * Where the cursor is once the list is read again: on the same letter when it is still there
 * (new letters arrive on top), else at the same place (the letter was requeued or purged).
 */
export function cursorIn(
  letters: readonly DeadLetter[],
  selected: { key?: string; index: number },
): number {
  if (letters.length === 0) return 0;
  const found =
    selected.key === undefined ? -1 : letters.findIndex((l) => letterKey(l) === selected.key);
  return found >= 0 ? found : Math.min(selected.index, letters.length - 1);
}

/** The keymap context the keys are read in: the purge question, a letter's details, the list. */
export const lettersContext = (state: LettersState) =>
  state.mode.type === "purge" ? "prompt" : state.mode.type === "details" ? "letter" : "dlq";

export const initialLettersState = (): LettersState => ({
  selected: { index: 0 },
  mode: { type: "list" },
});

type Step = ScreenStep<LettersState, LettersEffect>;

export function reduceLetters(state: LettersState, action: LettersAction, env: LettersEnv): Step {
  switch (action.type) {
    case "listed":
      return only({ ...state, list: action.list, readError: undefined });
    case "listFailed":
      return only({ ...state, readError: `cannot read the dead letters: ${action.message}` });
    case "settled":
      return emit(
        { ...state, message: { error: action.error, text: action.text } },
        ...(action.error ? [] : [{ type: "reload" } as const]),
      );
    case "logRead":
      return only({ ...state, log: { key: action.key, text: action.text } });
    case "command":
      return onCommand(state, action.command, env);
  }
}

function onCommand(state: LettersState, command: Command | undefined, env: LettersEnv): Step {
  const mode = state.mode;
  const rows = state.list?.letters ?? [];
  const at = cursorIn(rows, state.selected);
  if (mode.type === "purge") {
    const { letter, back } = mode;
    if (command !== "yes") return said({ ...state, mode: back }, "not purged");
    return emit(
      {
        ...state,
        mode: { type: "list" },
        message: { error: false, text: `purging the letter of ${letter.node}…` },
      },
      { type: "purge", letter },
    );
  }
  const letter = mode.type === "details" ? mode.letter : rows[at];
  const moveTo = (index: number): Step => {
    const i = Math.max(0, Math.min(index, rows.length - 1));
    const l = rows[i];
    return only({ ...state, selected: { key: l ? letterKey(l) : undefined, index: i } });
  };
  const scrollBy = (by: number): Step => {
    if (mode.type !== "details") return only(state);
    const last = env.detailLineCount - env.detailsVisible;
    return only({
      ...state,
      mode: { ...mode, scroll: Math.max(0, Math.min(mode.scroll + by, last)) },
    });
  };
  switch (command) {
    case "help":
      return emit(state, { type: "help" });
    case "quit":
      return emit(state, { type: "quit" });
    case "back":
      if (mode.type === "details") return only({ ...state, mode: { type: "list" } });
      return emit(state, { type: "back" });
    case "runs":
      return emit(state, { type: "runs" });
    case "moveDown":
    case "moveUp": {
      const step = command === "moveDown" ? 1 : -1;
      return mode.type === "details" ? scrollBy(step) : moveTo(at + step);
    }
    case "pageDown":
    case "pageUp": {
      const step = command === "pageDown" ? 1 : -1;
      return mode.type === "details"
        ? scrollBy(step * env.detailsVisible)
        : moveTo(at + step * env.listHeight);
    }
    case "inspect":
      if (!letter) return only(state);
      if (mode.type === "details") return emit(state, { type: "openRun", id: letter.run });
      return emit(
        { ...state, mode: { type: "details", letter, scroll: 0 } },
        { type: "readLog", letter },
      );
    case "openChild":
      return letter ? emit(state, { type: "openRun", id: letter.run }) : only(state);
    case "run":
      if (!letter) return said(state, "no letter to requeue", true);
      return emit(
        {
          ...state,
          mode: { type: "list" },
          message: { error: false, text: `requeueing ${letter.node} of run ${letter.run}…` },
        },
        { type: "requeue", letter },
      );
    case "deleteNode":
      if (!letter) return said(state, "no letter to purge", true);
      return only({ ...state, mode: { type: "purge", letter, back: mode } });
    default:
      return only(state);
  }
}
