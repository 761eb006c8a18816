/**
 * What a complete escape sequence means, across the terminals people use: xterm (and the
 * terminals that copy it: VTE, iTerm2, kitty, alacritty, Windows Terminal), VT100/VT220,
 * the Linux console, rxvt/urxvt, tmux and screen. The parser finds where a sequence ends;
 * this file only names it.
 */
import { type KeyPress, keyPress, type Modifiers, NO_MODIFIERS } from "./key-press.js";

/** Bracketed paste markers; the parser collects what lies between them. */
export const PASTE_START = "\x1b[200~";
export const PASTE_END = "\x1b[201~";

/** `CSI n ~` (VT220 style, also xterm, rxvt, Linux console, tmux, screen). */
const TILDE_KEYS: Record<number, string> = {
  1: "home", // VT220 Find; tmux, screen, Linux console home
  2: "insert",
  3: "delete",
  4: "end", // VT220 Select
  5: "pageup",
  6: "pagedown",
  7: "home", // rxvt
  8: "end", // rxvt
  11: "f1", // rxvt, PuTTY, old xterm
  12: "f2",
  13: "f3",
  14: "f4",
  15: "f5",
  17: "f6",
  18: "f7",
  19: "f8",
  20: "f9",
  21: "f10",
  23: "f11",
  24: "f12",
  // VT220 F13-F20; rxvt and the Linux console send these for shift+F1..F8 (or F3..F10).
  25: "f13",
  26: "f14",
  28: "f15",
  29: "f16",
  31: "f17",
  32: "f18",
  33: "f19",
  34: "f20",
};

/** `CSI 1;m X` and `SS3 X`: cursor keys, home/end, xterm's F1-F4. */
const LETTER_KEYS: Record<string, string> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  E: "begin", // keypad 5
  F: "end",
  G: "begin", // PuTTY keypad 5
  H: "home",
  P: "f1",
  Q: "f2",
  R: "f3",
  S: "f4",
};

/** rxvt's shifted (`CSI a`) and ctrl'd (`SS3 a`) arrows. */
const RXVT_ARROWS: Record<string, string> = { a: "up", b: "down", c: "right", d: "left" };

/** The keypad in application mode (`SS3 p` is keypad 0). */
const KEYPAD: Record<string, string> = {
  j: "*",
  k: "+",
  l: ",",
  m: "-",
  n: ".",
  o: "/",
  X: "=",
  ...Object.fromEntries([..."pqrstuvwxy"].map((c, i) => [c, String(i)])),
};

/** xterm's modifier parameter: 1 + (shift 1 | alt 2 | ctrl 4 | meta 8). Alt and meta are one. */
export function xtermModifiers(parameter: number | undefined): Modifiers {
  const bits = parameter !== undefined && parameter > 1 ? parameter - 1 : 0;
  return { shift: (bits & 1) !== 0, meta: (bits & 10) !== 0, ctrl: (bits & 4) !== 0 };
}

const unknown = (sequence: string): KeyPress => keyPress("unknown", sequence);

const CODE_POINT_NAMES: Record<number, string> = {
  8: "backspace",
  9: "tab",
  13: "return",
  27: "escape",
  32: "space",
  127: "backspace",
};

/** A key given as a Unicode code point (kitty's `CSI u`, xterm's modifyOtherKeys). */
function codePointKey(code: number, modifiers: Modifiers, sequence: string): KeyPress {
  const types = !modifiers.ctrl && !modifiers.meta;
  const named = CODE_POINT_NAMES[code];
  if (named)
    return keyPress(named, sequence, modifiers, named === "space" && types ? " " : undefined);
  if (code < 32 || code > 0x10ffff) return unknown(sequence);
  let name = String.fromCodePoint(code);
  let { shift } = modifiers;
  if (/^[a-z]$/.test(name) && shift && !modifiers.ctrl) {
    name = name.toUpperCase();
    shift = false;
  }
  return keyPress(name, sequence, { ...modifiers, shift }, types ? name : undefined);
}

/**
 * `ESC [ body final`. `body` holds the parameter bytes; rxvt's `$` (shift), `^` (ctrl) and
 * `@` (ctrl+shift) end a sequence the way `~` does.
 */
export function decodeCsi(body: string, final: string, sequence: string): KeyPress {
  if (!/^[\d;:]*$/.test(body)) return unknown(sequence); // private (`?`, `<`, `>`) replies
  const parameters = body === "" ? [] : body.split(";").map((p) => Number.parseInt(p, 10));
  const [first, second, third] = parameters;
  if ("~^$@".includes(final)) {
    if (first === 27 && third !== undefined)
      return codePointKey(third, xtermModifiers(second), sequence); // modifyOtherKeys
    const name = first === undefined ? undefined : TILDE_KEYS[first];
    if (!name) return unknown(sequence);
    const modifiers: Modifiers =
      final === "~"
        ? xtermModifiers(second)
        : { ...NO_MODIFIERS, ctrl: final !== "$", shift: final !== "^" };
    return keyPress(name, sequence, modifiers);
  }
  if (final === "u" && first !== undefined)
    return codePointKey(first, xtermModifiers(second), sequence);
  if (final === "Z") return keyPress("tab", sequence, { ...xtermModifiers(second), shift: true });
  const letter = LETTER_KEYS[final];
  if (letter) {
    // `CSI 1;5A` is the usual form; some old terminals sent `CSI 5A`.
    const modifier = parameters.length >= 2 ? second : first;
    return keyPress(letter, sequence, xtermModifiers(modifier));
  }
  if (RXVT_ARROWS[final] && body === "")
    return keyPress(RXVT_ARROWS[final], sequence, { shift: true });
  return unknown(sequence);
}

/** `ESC O [modifier] final`, the VT100 application-mode form (xterm F1-F4, arrows, keypad). */
export function decodeSs3(modifier: string, final: string, sequence: string): KeyPress {
  const modifiers = xtermModifiers(modifier === "" ? undefined : Number.parseInt(modifier, 10));
  if (LETTER_KEYS[final]) return keyPress(LETTER_KEYS[final], sequence, modifiers);
  if (RXVT_ARROWS[final]) return keyPress(RXVT_ARROWS[final], sequence, { ctrl: true });
  if (final === "M") return keyPress("return", sequence, modifiers);
  if (final === "I") return keyPress("tab", sequence, modifiers);
  const keypad = KEYPAD[final];
  if (keypad) return keyPress(keypad, sequence, modifiers, keypad);
  return unknown(sequence);
}

/** The Linux console's F1-F5: `ESC [ [ A` .. `ESC [ [ E`. */
export function decodeLinuxConsole(body: string, final: string, sequence: string): KeyPress {
  const index = "ABCDE".indexOf(final);
  return index === -1 || body !== "" ? unknown(sequence) : keyPress(`f${index + 1}`, sequence);
}
