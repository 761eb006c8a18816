/**
 * Which commands each screen answers, so help opened on a screen lists that screen's keys only
 * (the monitor's help no longer lists the designer's edits). The designer answers the rest.
 * A command may mean something else on a screen (`SCREEN_MEANINGS`): footer and help say so.
 */
import type { Command } from "../config/index.js";

const NAVIGATE: Command[] = ["moveUp", "moveDown", "pageUp", "pageDown", "find"];
const CANVAS: Command[] = [
  "moveLeft",
  "moveRight",
  "nextNode",
  "previousNode",
  "centre",
  "zoom",
  "toggleDirection",
];
const ALWAYS: Command[] = ["help", "back", "quit"];

export const SCREEN_COMMANDS = {
  list: new Set<Command>([
    ...ALWAYS,
    ...NAVIGATE,
    "inspect",
    "newWorkflow",
    "importFile",
    "deleteWorkflow",
    "run",
    "runs",
  ]),
  runs: new Set<Command>([...ALWAYS, ...NAVIGATE, "inspect", "filterStatus", "deadLetters"]),
  form: new Set<Command>([...ALWAYS, "run", "moveUp", "moveDown", "inspect"]),
  monitor: new Set<Command>([
    ...ALWAYS,
    ...NAVIGATE,
    ...CANVAS,
    "inspect",
    "openChild",
    "run",
    "runs",
    "cancelRun",
    "retryRun",
    "follow",
    "deadLetters",
  ]),
  dlq: new Set<Command>([
    ...ALWAYS,
    "moveUp",
    "moveDown",
    "pageUp",
    "pageDown",
    "inspect",
    "run",
    "deleteNode",
    "openChild",
    "runs",
  ]),
} as const;

export type ScreenName = keyof typeof SCREEN_COMMANDS | "designer";

const RUN_ONLY = new Set<Command>([
  "cancelRun",
  "retryRun",
  "filterStatus",
  "follow",
  "deadLetters",
]);
const LIST_ONLY = new Set<Command>(["newWorkflow", "importFile", "deleteWorkflow"]);

/**
 * Commands that mean something else on a screen than the keymap says (there `run` requeues a
 * dead letter): the word the footer shows and the line help shows instead of the keymap's.
 */
export const SCREEN_MEANINGS: Partial<
  Record<
    ScreenName,
    { group: string; commands: Partial<Record<Command, { label: string; description: string }>> }
  >
> = {
  dlq: {
    group: "Dead letters",
    commands: {
      inspect: {
        label: "Details",
        description: "Show the letter's details (in them: open its run's monitor)",
      },
      run: {
        label: "Requeue",
        description: "Requeue: the run reruns its failed nodes, the letter goes",
      },
      deleteNode: { label: "Purge", description: "Purge the letter (asks first: y purges)" },
      openChild: { label: "Open run", description: "Open the letter's run in the monitor" },
      moveUp: { label: "Up", description: "Select the letter above (in details: scroll)" },
      moveDown: { label: "Down", description: "Select the letter below (in details: scroll)" },
    },
  },
};

/** The footer's words for the commands that mean something else on `screen`. */
export function screenLabels(screen: ScreenName): Partial<Record<Command, string>> {
  return Object.fromEntries(
    Object.entries(SCREEN_MEANINGS[screen]?.commands ?? {}).map(([c, m]) => [c, m.label]),
  );
}

/** Whether `command` does something on `screen`. */
export function answers(screen: ScreenName, command: Command): boolean {
  if (screen === "designer") return !RUN_ONLY.has(command) && !LIST_ONLY.has(command);
  return SCREEN_COMMANDS[screen].has(command);
}
