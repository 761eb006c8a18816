/**
 * The run form's reducer alone: keys, typed values and the engine's answers in, state and
 * effects out; the check of the values is given, as the screen gives it.
 */
import { describe, expect, it } from "vitest";
import {
  type FormAction,
  type FormEnv,
  initialFormState,
  reduceForm,
} from "../../src/app/runs/form-screen.js";
import type { RunForm } from "../../src/app/runs/run-session.js";
import type { Command } from "../../src/config/index.js";
import { replay } from "../support/reduce.js";

const form = {
  ref: "etl@2",
  workflow: {},
  fields: [
    { name: "dry", type: "boolean", required: false, initial: "false" },
    { name: "mode", type: "enum", required: true, choices: ["fast", "full"], initial: "fast" },
    { name: "source", type: "string", required: true, initial: "" },
  ],
} as unknown as RunForm;

function play(env: FormEnv, ...actions: (FormAction | Command)[]) {
  return replay(reduceForm, initialFormState(), env, [{ type: "loaded", form }, ...actions]);
}

const missing: FormEnv = {
  checked: { ok: false, problems: [{ name: "source", message: "required" }] },
};
const fine: FormEnv = { checked: { ok: true, params: { source: "s3://x" } } };

describe("the run form's reducer", () => {
  it("toggles a boolean, turns a choice, and types a text field, then moves on", () => {
    const { state } = play(missing, "inspect", "moveDown", "moveRight", "moveDown", "inspect", {
      type: "submitField",
      text: "s3://x",
    });
    expect(state.values).toEqual({ dry: "true", mode: "full", source: "s3://x" });
    expect(state.cursor).toBe(3);
    expect(state.editing).toBe(false);
  });

  it("goes to the first field to fix instead of starting, and starts once all is well", () => {
    const refused = play(missing, "run");
    expect(refused.effects).toEqual([]);
    expect(refused.state.cursor).toBe(2);
    const started = play(fine, "run");
    expect(started.effects).toEqual([
      { type: "start", ref: "etl@2", params: { source: "s3://x" } },
    ]);
    expect(started.state.busy).toBe(true);
    // Busy: keys wait for the answer.
    expect(play(fine, "run", "back").effects).toHaveLength(1);
  });

  it("shows what the engine refused until a value changes", () => {
    const problems = [{ name: "mode", message: "not allowed now" }];
    const refused = play(fine, "run", { type: "refused", problems });
    expect(refused.state.serverProblems).toEqual(problems);
    expect(refused.state.busy).toBe(false);
    const changed = reduceForm(refused.state, { type: "command", command: "inspect" }, fine);
    expect(changed.state.serverProblems).toBeUndefined();
  });

  it("leaves on Esc, but not while a field is being typed", () => {
    expect(play(fine, "back").effects).toEqual([{ type: "cancel" }]);
    expect(play(fine, "moveDown", "moveDown", "inspect", "back").effects).toEqual([]);
  });
});
