/**
 * The keymap's notation for keys (`ctrl+s`, `shift+tab`, `f10`, `R`, `meta+x`), read and
 * written one way, and the short labels the footer and help screen show (`^S`, `F10`, `Esc`).
 */
import type { KeyPress, Modifiers } from "./key-press.js";

type ParsedKey = Modifiers & { base: string };

/** `ctrl+shift+x` → modifiers and `x`; the `+` key on its own (or as `meta++`) is a base. */
function parseKey(key: string): ParsedKey {
  const plus = key === "+" || key.endsWith("++");
  const parts = (plus ? key.slice(0, -1) : key).split("+");
  const base = plus ? "+" : parts.pop()!;
  return {
    base,
    ctrl: parts.includes("ctrl"),
    shift: parts.includes("shift"),
    meta: parts.includes("meta") || parts.includes("alt"),
  };
}

function writeKey({ ctrl, shift, meta, base }: ParsedKey): string {
  return [ctrl && "ctrl", shift && "shift", meta && "meta", base].filter(Boolean).join("+");
}

/** The keymap notation of a key press, modifiers always in the order ctrl, shift, meta. */
export function keyName(press: KeyPress): string {
  return writeKey({ ...press, base: press.name });
}

/**
 * A keymap key written as `keyName` would write the press: `shift+r` is `R` (the terminal
 * sends `R`), `ctrl+S` is `ctrl+s` (it sends the same byte as ctrl+s), `" "` is `space`.
 */
export function canonicalKey(key: string): string {
  const parsed = parseKey(key);
  if (parsed.base === " ") parsed.base = "space";
  if (/^[a-zA-Z]$/.test(parsed.base)) {
    if (parsed.ctrl) parsed.base = parsed.base.toLowerCase();
    else if (parsed.shift) {
      parsed.base = parsed.base.toUpperCase();
      parsed.shift = false;
    }
  }
  return writeKey(parsed);
}

const LABELS: Record<string, string> = {
  return: "Enter",
  escape: "Esc",
  tab: "Tab",
  backspace: "Bksp",
  delete: "Del",
  insert: "Ins",
  space: "Space",
  pageup: "PgUp",
  pagedown: "PgDn",
  home: "Home",
  end: "End",
  begin: "Begin",
  up: "↑",
  down: "↓",
  left: "←",
  right: "→",
};

/** `f1` → `F1`, `ctrl+s` → `^S`, `return` → `Enter`, `shift+tab` → `S-Tab`, `meta+x` → `M-x`. */
export function keyLabel(key: string): string {
  const { ctrl, shift, meta, base } = parseKey(canonicalKey(key));
  let label = LABELS[base] ?? base.replace(/^f(\d+)$/, "F$1");
  if (ctrl) label = `^${label.length === 1 ? label.toUpperCase() : label}`;
  if (shift) label = `S-${label}`;
  if (meta) label = `M-${label}`;
  return label;
}
