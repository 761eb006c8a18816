/**
 * Which commands each screen answers, so help opened on a screen lists that screen's keys only
 * (the monitor's help no longer lists the designer's edits). The designer answers the rest.
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
  runs: new Set<Command>([...ALWAYS, ...NAVIGATE, "inspect", "filterStatus"]),
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
  ]),
} as const;

export type ScreenName = keyof typeof SCREEN_COMMANDS | "designer";

const RUN_ONLY = new Set<Command>(["cancelRun", "retryRun", "filterStatus", "follow"]);
const LIST_ONLY = new Set<Command>(["newWorkflow", "importFile", "deleteWorkflow"]);

/** Whether `command` does something on `screen`. */
export function answers(screen: ScreenName, command: Command): boolean {
  if (screen === "designer") return !RUN_ONLY.has(command) && !LIST_ONLY.has(command);
  return SCREEN_COMMANDS[screen].has(command);
}
