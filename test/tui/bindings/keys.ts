/**
 * Issue 13's binding evidence, keys: keymap notation and the bytes a terminal sends for it
 * (checked against the parser), and the probe keys pressed where nothing is bound.
 */
import { type Context, TYPING_CONTEXTS } from "../../../src/config/index.js";
import {
  canonicalKey,
  createKeyParser,
  type Dispatcher,
  type KeyPress,
} from "../../../src/tui/input/index.js";

// ---------------------------------------------------------------------------------------------
// Keys: keymap notation → the bytes a terminal sends (checked against the parser below).

export const NAMED: Record<string, string> = {
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

export function bytesOf(key: string): string {
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
export function parse(bytes: string): KeyPress[] {
  const parser = createKeyParser();
  return [...parser.feed(bytes), ...parser.flush()];
}

export const pressOf = (key: string): KeyPress => parse(bytesOf(key))[0]!;

/** The Escape key as kitty's protocol sends it: no 30 ms wait; setup and restore steps use it. */
export const QUICK_ESCAPE = "\x1b[27u";

export const PRINTABLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) =>
  String.fromCharCode(0x21 + i),
);
/** ctrl+h, ctrl+i, ctrl+j and ctrl+m are backspace, tab and return: the same bytes. */
export const CTRL = [..."abcdefgklnopqrstuvwxyz"].map((c) => `ctrl+${c}`);
export const NAMED_PROBES = [
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
export const PROBES = ["space", ...PRINTABLE, ...NAMED_PROBES];

/** The probe keys nothing is bound to in `context`; in a typing context, only named keys. */
export function unboundKeys(dispatcher: Dispatcher, context: Context): string[] {
  const typing = TYPING_CONTEXTS.has(context);
  return PROBES.filter(
    (key) =>
      !(typing && (key === "space" || [...key].length === 1)) &&
      dispatcher.commandFor(pressOf(key), context) === undefined,
  );
}
