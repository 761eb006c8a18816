/**
 * Key bindings as data (keymaps/*.json): each binding maps keys to one `Command` in the
 * contexts it lists (the canvas, a prompt, the palette, the monitor...). A key means one thing
 * per context, so `d` deletes a node on the canvas and picks a decision in the palette. The one
 * key dispatcher, the footer and the help screen are all generated from this table.
 */
import { z } from "zod";

export const COMMANDS = [
  "help",
  "validate",
  "run",
  "save",
  "quit",
  "back",
  "moveUp",
  "moveDown",
  "moveLeft",
  "moveRight",
  "nextNode",
  "previousNode",
  "find",
  "centre",
  "zoom",
  "toggleDirection",
  "inspect",
  "workflowProperties",
  "addNode",
  "deleteNode",
  "connect",
  "duplicate",
  "rename",
  "undo",
  "redo",
  "export",
  "versions",
  "diffVersion",
  "openChild",
  "parent",
  "nextWorkflow",
  "previousWorkflow",
  "selectEdge",
  "toggleInspector",
  "toggleFindings",
  "togglePalette",
  "focusNext",
  "newWorkflow",
  "importFile",
  "deleteWorkflow",
  "runs",
  "deadLetters",
  "cancelRun",
  "retryRun",
  "filterStatus",
  "follow",
  "pageUp",
  "pageDown",
  "yes",
  "discard",
  "reload",
  "handBack",
  "addTask",
  "addDecision",
  "addExclusive",
  "addParallel",
  "addDelay",
  "addCompensation",
  "addSubworkflow",
  "submit",
  "cursorLeft",
  "cursorRight",
  "wordLeft",
  "wordRight",
  "lineStart",
  "lineEnd",
  "deleteBack",
  "deleteForward",
  "deleteWord",
  "clearLine",
  "killLine",
  "clear",
] as const;
export type Command = (typeof COMMANDS)[number];

const NAMED_KEYS = new Set([
  "up",
  "down",
  "left",
  "right",
  "return",
  "escape",
  "tab",
  "backspace",
  "delete",
  "space",
  "pageup",
  "pagedown",
  "home",
  "end",
  ...Array.from({ length: 12 }, (_, i) => `f${i + 1}`),
]);

/** `q`, `?`, `R`, `f1`, `ctrl+s`, `shift+tab`, `meta+x`. */
export function isKey(key: string): boolean {
  if (key === "+") return true;
  const parts = key.split("+");
  const base = parts.pop()!;
  if (parts.some((m) => !["ctrl", "shift", "meta"].includes(m))) return false;
  return NAMED_KEYS.has(base) || [...base].length === 1;
}

/**
 * Where keys are read: what has the keys decides which bindings apply. `list`, `text` and
 * `help` are typing contexts: a printable character types there, so only other keys bind.
 */
export const CONTEXTS = [
  "list",
  "canvas",
  "inspector",
  "findings",
  "palettePanel",
  "palette",
  "prompt",
  "text",
  "choice",
  "versions",
  "viewer",
  "form",
  "runs",
  "monitor",
  "details",
  "dlq",
  "letter",
  "help",
] as const;
export type Context = (typeof CONTEXTS)[number];

export const TYPING_CONTEXTS: ReadonlySet<Context> = new Set(["list", "text", "help"]);

/** A key that types a character: in a typing context it is text, not a command. */
const typesText = (key: string): boolean => [...key].length === 1;

export const KeymapSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string(),
  bindings: z.array(
    z.strictObject({
      command: z.enum(COMMANDS),
      keys: z
        .array(
          z.string().refine(isKey, {
            message:
              "not a key: use a character, a named key (f1, up, return, escape, tab) or ctrl+/shift+/meta+ with one",
          }),
        )
        .min(1),
      description: z.string().min(1),
      group: z.string().min(1),
      contexts: z.array(z.enum(CONTEXTS)).min(1),
      /** The footer's word, when the context means the command its own way (`Requeue`). */
      label: z.string().min(1).optional(),
    }),
  ),
});

export type Keymap = z.output<typeof KeymapSchema>;

/** The keys that work in `context`: in a typing context, printable ones type instead. */
export function keysIn(keys: readonly string[], context: Context): string[] {
  return TYPING_CONTEXTS.has(context) ? keys.filter((k) => !typesText(k)) : [...keys];
}

/**
 * Problems zod cannot see: a key bound twice in one context, a binding whose keys all type
 * text in a typing context (so it can never be pressed there), a command with no key.
 */
export function keymapProblems(keymap: Keymap): string[] {
  const problems: string[] = [];
  const owner = new Map<string, Command>();
  for (const binding of keymap.bindings) {
    for (const context of binding.contexts) {
      const keys = keysIn(binding.keys, context);
      if (keys.length === 0)
        problems.push(
          `\`${binding.command}\` cannot be pressed in ${context}: its keys (${binding.keys.join(", ")}) type text there`,
        );
      for (const key of keys) {
        const other = owner.get(`${context} ${key}`);
        if (other && other !== binding.command)
          problems.push(
            `key \`${key}\` is bound to both \`${other}\` and \`${binding.command}\` in ${context}`,
          );
        owner.set(`${context} ${key}`, binding.command);
      }
    }
  }
  const bound = new Set(keymap.bindings.map((b) => b.command));
  for (const command of COMMANDS)
    if (!bound.has(command)) problems.push(`command \`${command}\` has no key`);
  return problems;
}
