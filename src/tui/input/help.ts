/**
 * The help screen's content, generated from the keymap for one context: one section per group
 * in the order the keymap first names it, one row per binding. The screen only draws these rows.
 */
import type { Command } from "../../config/index.js";
import type { Binding } from "./dispatcher.js";
import { keyLabel } from "./key-name.js";

export type HelpRow = { keys: string; description: string; command: Command };
export type HelpSection = { group: string; rows: HelpRow[] };

/** The bindings of one context (`Dispatcher.bindingsIn`), as help's sections. */
export function helpSections(bindings: readonly Binding[]): HelpSection[] {
  const sections = new Map<string, HelpRow[]>();
  for (const binding of bindings) {
    const rows = sections.get(binding.group) ?? [];
    rows.push({
      keys: binding.keys.map(keyLabel).join(", "),
      description: binding.description,
      command: binding.command,
    });
    sections.set(binding.group, rows);
  }
  return [...sections].map(([group, rows]) => ({ group, rows }));
}

/**
 * The rows where every word of `query` appears in the group, the keys, the description or the
 * command name (ignoring case); sections left empty are dropped. An empty query keeps all.
 */
export function filterHelp(sections: readonly HelpSection[], query: string): HelpSection[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...sections];
  return sections
    .map(({ group, rows }) => ({
      group,
      rows: rows.filter((row) => {
        const haystack = [group, row.keys, row.description, row.command].join(" ").toLowerCase();
        return words.every((word) => haystack.includes(word));
      }),
    }))
    .filter((section) => section.rows.length > 0);
}
