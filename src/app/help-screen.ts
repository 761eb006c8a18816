/**
 * Help's state and its one reducer: the search typed and how far the lines are scrolled. The
 * screen generates the lines from the keymap for the search, and says how many there are.
 */
import type { Command } from "../config/index.js";

export interface HelpState {
  query: string;
  scroll: number;
}

export type HelpAction = { type: "command"; command: Command | undefined; typed?: string };
export type HelpEffect = { type: "close" };

export interface HelpEnv {
  /** Lines of help for the search, and how many fit. */
  lineCount: number;
  visible: number;
}

export const initialHelpState = (): HelpState => ({ query: "", scroll: 0 });

export function reduceHelp(
  state: HelpState,
  { command, typed }: HelpAction,
  env: HelpEnv,
): { state: HelpState; effects: HelpEffect[] } {
  const last = Math.max(0, env.lineCount - env.visible);
  const only = (next: HelpState) => ({ state: next, effects: [] });
  switch (command) {
    case "back":
    case "help":
      return { state, effects: [{ type: "close" }] };
    case "moveDown":
      return only({ ...state, scroll: Math.min(state.scroll + 1, last) });
    case "moveUp":
      return only({ ...state, scroll: Math.max(0, state.scroll - 1) });
    case "pageDown":
      return only({ ...state, scroll: Math.min(state.scroll + env.visible, last) });
    case "pageUp":
      return only({ ...state, scroll: Math.max(0, state.scroll - env.visible) });
    case "deleteBack":
      return only({ ...state, query: state.query.slice(0, -1) });
    case "clearLine":
      return only({ query: "", scroll: 0 });
    default:
      // Letters search: the list starts again from its top.
      return typed === undefined ? only(state) : only({ query: state.query + typed, scroll: 0 });
  }
}
