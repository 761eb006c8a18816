/**
 * Key bindings as data (keymaps/*.json): each binding maps keys to one `Command`. The one key
 * dispatcher, the footer and the help screen are all generated from this table.
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
    }),
  ),
});

export type Keymap = z.output<typeof KeymapSchema>;

/** Problems zod cannot see: a key bound twice, a command with no key. */
export function keymapProblems(keymap: Keymap): string[] {
  const problems: string[] = [];
  const owner = new Map<string, Command>();
  for (const binding of keymap.bindings) {
    for (const key of binding.keys) {
      const other = owner.get(key);
      if (other && other !== binding.command)
        problems.push(`key \`${key}\` is bound to both \`${other}\` and \`${binding.command}\``);
      owner.set(key, binding.command);
    }
  }
  const bound = new Set(keymap.bindings.map((b) => b.command));
  for (const command of COMMANDS)
    if (!bound.has(command)) problems.push(`command \`${command}\` has no key`);
  return problems;
}
