/**
 * The screens' reducer tests play actions through a reducer the way the screen would: one after
 * the other, the effects of all of them kept. A command's name stands for its key.
 */
import type { Command } from "../../src/config/index.js";

export function replay<S, A, E, Env>(
  reduce: (state: S, action: A, env: Env) => { state: S; effects: E[] },
  state: S,
  env: Env,
  actions: readonly (A | Command)[],
): { state: S; effects: E[] } {
  const effects: E[] = [];
  for (const a of actions) {
    const action = typeof a === "string" ? ({ type: "command", command: a } as A) : a;
    const step = reduce(state, action, env);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}
