/**
 * The run model's state tables as Lua, prepended to every run script before lua/includes/run.lua:
 * the scripts and the TypeScript side cannot disagree on which states exist or are final.
 */
import {
  EVENT_STATUSES,
  FINAL_NODE,
  FINAL_RUN,
  NODE_STATES,
  RUN_STATES,
} from "../model/run-model.js";

const luaSet = (values: Iterable<string>): string =>
  `{${[...values].map((v) => `[${JSON.stringify(v)}] = true`).join(", ")}}`;

export function runModelPrelude(): string {
  return [
    "-- Generated from src/model/run-model.ts (src/store/run-prelude.ts): do not edit.",
    `local NODE_STATES = ${luaSet(NODE_STATES)}`,
    `local RUN_STATES = ${luaSet(RUN_STATES)}`,
    `local EVENT_STATUSES = ${luaSet(EVENT_STATUSES)}`,
    "-- Node states an attempt ends in; run states a run does not leave.",
    `local TERMINAL = ${luaSet(FINAL_NODE)}`,
    `local RUN_FINAL = ${luaSet(FINAL_RUN)}`,
    "",
  ].join("\n");
}
