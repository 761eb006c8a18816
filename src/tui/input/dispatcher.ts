/**
 * The one key dispatcher: key presses become `Command`s by the keymap, in the context that has
 * the keys, and the footer is written from the same keymap, so what it shows is always what the
 * keys do there.
 */
import { type Command, type Context, type Keymap, keysIn } from "../../config/index.js";
import { canonicalKey, keyLabel, keyName } from "./key-name.js";
import type { KeyPress } from "./key-press.js";

export type Binding = Keymap["bindings"][number];

export type Dispatcher = {
  /** The command bound to this press in `context`, if any. Pastes and unknown sequences have none. */
  commandFor(press: KeyPress, context: Context): Command | undefined;
  /** The keys that give a command in `context`, in keymap notation and keymap order. */
  keysFor(command: Command, context: Context): string[];
  /** The bindings of `context`, keys that type text there left out, in keymap order. */
  bindingsIn(context: Context): Binding[];
  /** `F1/? Help  F2/v Validate  q Quit`, for these commands in this order, within `width`. */
  footer(commands: readonly Command[], width: number, context: Context): string;
};

/** `previousNode` → `Previous node`: the footer's word for a command. */
export function commandLabel(command: Command): string {
  const words = command.replace(/([A-Z])/g, " $1").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const SEPARATOR = "  ";

/** Every entry on one line, if that fits. */
function wholeLine(entries: string[], width: number): string | undefined {
  const line = entries.join(SEPARATOR);
  return line.length <= width ? line : undefined;
}

/** How to get help, go back and quit: a footer too narrow for everything still shows these. */
const WAY_OUT: readonly Command[] = ["help", "back", "quit"];

/**
 * The way out (help, back, quit) always, then the other entries from the front while they fit;
 * the entries keep the caller's order.
 */
function fitKeepingWayOut(commands: readonly Command[], entries: string[], width: number): string {
  const essential = commands.map((c) => WAY_OUT.includes(c));
  const kept = essential.slice();
  const line = () => entries.filter((_, i) => kept[i]).join(SEPARATOR);
  if (line().length > width) return fitByDropping(entries, width);
  for (let i = 0; i < entries.length; i++) {
    if (kept[i]) continue;
    kept[i] = true;
    if (line().length > width) kept[i] = false;
  }
  return line() || fitByDropping(entries, width);
}

/** Entries from the front while they fit: the caller lists the most important first. */
function fitByDropping(entries: string[], width: number): string {
  const kept: string[] = [];
  for (const entry of entries) {
    if ([...kept, entry].join(SEPARATOR).length > width) break;
    kept.push(entry);
  }
  if (kept.length > 0) return kept.join(SEPARATOR);
  const first = entries[0] ?? "";
  return first.length <= width
    ? first
    : `${first.slice(0, Math.max(0, width - 1))}…`.slice(0, width);
}

export function createDispatcher(keymap: Keymap): Dispatcher {
  const byContext = new Map<Context, Binding[]>();
  const commandByKey = new Map<string, Command>();
  for (const binding of keymap.bindings)
    for (const context of binding.contexts) {
      const keys = keysIn(binding.keys, context);
      if (keys.length === 0) continue;
      const bindings = byContext.get(context) ?? [];
      bindings.push({ ...binding, keys });
      byContext.set(context, bindings);
      for (const key of keys) {
        const at = `${context} ${canonicalKey(key)}`;
        if (!commandByKey.has(at)) commandByKey.set(at, binding.command);
      }
    }
  const bindingsIn = (context: Context) => byContext.get(context) ?? [];
  const keysFor = (command: Command, context: Context): string[] => [
    ...new Set(bindingsIn(context).flatMap((b) => (b.command === command ? b.keys : []))),
  ];
  const labelFor = (command: Command, context: Context) =>
    bindingsIn(context).find((b) => b.command === command && b.label)?.label ??
    commandLabel(command);

  return {
    commandFor(press, context) {
      if (press.name === "paste" || press.name === "unknown") return undefined;
      return commandByKey.get(`${context} ${canonicalKey(keyName(press))}`);
    },
    keysFor,
    bindingsIn,
    footer(commands, width, context) {
      const bound = commands.filter((command) => keysFor(command, context).length > 0);
      const entry = (command: Command, keys: string[]) =>
        `${keys.map(keyLabel).join("/")} ${labelFor(command, context)}`;
      const allKeys = bound.map((command) => entry(command, keysFor(command, context)));
      const firstKey = bound.map((command) =>
        entry(command, keysFor(command, context).slice(0, 1)),
      );
      return (
        wholeLine(allKeys, width) ??
        wholeLine(firstKey, width) ??
        fitKeepingWayOut(bound, firstKey, width)
      );
    },
  };
}
