/**
 * The one key dispatcher: key presses become `Command`s by the keymap, and the footer is
 * written from the same keymap, so what it shows is always what the keys do.
 */
import type { Command, Keymap } from "../../config/index.js";
import { typesText } from "./help.js";
import { canonicalKey, keyLabel, keyName } from "./key-name.js";
import type { KeyPress } from "./key-press.js";

export type Dispatcher = {
  /** The command bound to this press, if any. Pastes and unknown sequences have none. */
  commandFor(press: KeyPress): Command | undefined;
  /** The keys bound to a command, in keymap notation and keymap order. */
  keysFor(command: Command): string[];
  /** `F1/? Help  F2/v Validate  q Quit`, for these commands in this order, within `width`. */
  /** `labels` names a command the way this screen means it (`inspect` opens a workflow: Open). */
  footer(
    commands: readonly Command[],
    width: number,
    labels?: Partial<Record<Command, string>>,
    /** The screen takes printable characters as text: keys that type one are left out. */
    typing?: boolean,
  ): string;
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
  const commandByKey = new Map<string, Command>();
  const keysByCommand = new Map<Command, string[]>();
  for (const binding of keymap.bindings) {
    const keys = keysByCommand.get(binding.command) ?? [];
    for (const key of binding.keys) {
      const canonical = canonicalKey(key);
      if (!commandByKey.has(canonical)) commandByKey.set(canonical, binding.command);
      if (!keys.includes(key)) keys.push(key);
    }
    keysByCommand.set(binding.command, keys);
  }

  const keysFor = (command: Command): string[] => [...(keysByCommand.get(command) ?? [])];

  return {
    commandFor(press) {
      if (press.name === "paste" || press.name === "unknown") return undefined;
      return commandByKey.get(canonicalKey(keyName(press)));
    },
    keysFor,
    footer(commands, width, labels = {}, typing = false) {
      const usable = (command: Command) =>
        typing ? keysFor(command).filter((k) => !typesText(k)) : keysFor(command);
      const bound = commands.filter((command) => usable(command).length > 0);
      const entry = (command: Command, keys: string[]) =>
        `${keys.map(keyLabel).join("/")} ${labels[command] ?? commandLabel(command)}`;
      const allKeys = bound.map((command) => entry(command, usable(command)));
      const firstKey = bound.map((command) => entry(command, usable(command).slice(0, 1)));
      return (
        wholeLine(allKeys, width) ??
        wholeLine(firstKey, width) ??
        fitKeepingWayOut(bound, firstKey, width)
      );
    },
  };
}
