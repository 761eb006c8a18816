/**
 * The Lua scripts know states only from the run model: their state tables come from a generated
 * prelude, and every status a script writes or compares as a quoted string is one the model has.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EVENT_STATUSES, FINAL_NODE, NODE_STATES, RUN_STATES } from "../../src/model/run-model.js";
import { runModelPrelude } from "../../src/store/run-prelude.js";
import { LUA_SOURCES, scriptSource } from "../../src/store/scripts.js";

const STATES = new Set<string>([...NODE_STATES, ...RUN_STATES]);
const EVENTS = new Set<string>(EVENT_STATUSES);

/** Quoted strings a script uses as a status, each with the kind of status it must be. */
function quotedStatuses(lua: string): { value: string; kind: "state" | "event" }[] {
  const found: { value: string; kind: "state" | "event" }[] = [];
  const states = [
    /status\s*[~=]=\s*"([^"]*)"/g,
    /status\s*=\s*"([^"]*)"/g,
    /runStatus\(\)\s*[~=]=\s*"([^"]*)"/g,
    /finishNode\([^,()]*,\s*"([^"]*)"/g,
    /(?:finishRun|withdrawAll)\(\s*"([^"]*)"/g,
    /setMeta\("status",\s*"([^"]*)"/g,
    /\{"status",\s*"([^"]*)"\}/g,
  ];
  for (const pattern of states)
    for (const m of lua.matchAll(pattern)) found.push({ value: m[1]!, kind: "state" });
  for (const m of lua.matchAll(/\bevent\([^,()]*,\s*"([^"]*)"(?!\s*\.\.)/g))
    found.push({ value: m[1]!, kind: "event" });
  return found;
}

const luaFiles = (): string[] => [
  ...readdirSync(LUA_SOURCES)
    .filter((f) => f.endsWith(".lua"))
    .map((f) => join(LUA_SOURCES, f)),
  ...readdirSync(join(LUA_SOURCES, "includes"))
    .filter((f) => f.endsWith(".lua"))
    .map((f) => join(LUA_SOURCES, "includes", f)),
];

describe("Lua and the run model", () => {
  it("finds quoted statuses, and an unknown one stands out", () => {
    const lua = `if r.status == "running" then finishNode(node, "teleported") end
event(node, "lease-expired")
event("", "run:" .. status)
setMeta("status", "paused")`;
    const found = quotedStatuses(lua);
    expect(found.filter((f) => f.kind === "state").map((f) => f.value)).toEqual([
      "running",
      "teleported",
      "paused",
    ]);
    expect(found.filter((f) => f.kind === "event").map((f) => f.value)).toEqual(["lease-expired"]);
  });

  it("uses no quoted status the model does not know, in any script", () => {
    const unknown: string[] = [];
    let seen = 0;
    for (const file of luaFiles()) {
      for (const { value, kind } of quotedStatuses(readFileSync(file, "utf8"))) {
        seen++;
        if (!(kind === "state" ? STATES : EVENTS).has(value))
          unknown.push(`${file}: "${value}" (${kind})`);
      }
    }
    expect(seen).toBeGreaterThan(20);
    expect(unknown).toEqual([]);
  });

  it("takes TERMINAL from the generated prelude, prepended to every run script", () => {
    const prelude = runModelPrelude();
    for (const s of FINAL_NODE)
      expect(prelude).toMatch(new RegExp(`local TERMINAL = \\{.*\\["${s}"\\] = true`));
    const includes = readFileSync(join(LUA_SOURCES, "includes", "run.lua"), "utf8");
    expect(includes).not.toMatch(/local TERMINAL\s*=/);
    expect(scriptSource("complete-run.lua").startsWith(prelude)).toBe(true);
    expect(scriptSource("save-workflows.lua").startsWith(prelude)).toBe(false);
  });
});
