/**
 * A screen's state under its reducer (one per screen, in src/app): `dispatch(action)` reduces
 * with the world as of the latest render, draws the new state, and hands the effects the reducer
 * returned to the screen's runner, in order. Effects that end later (a Redis call) dispatch
 * their outcome. The screen calls `provide(env, run)` on each render, once it has computed what
 * the reducer reads (its layout depends on the state, so the state comes first).
 */
import { useCallback, useRef, useState } from "react";
import type { Settled } from "../app/screen-step.js";

export type Reducer<S, A, E, Env> = (state: S, action: A, env: Env) => { state: S; effects: E[] };
export type Runner<A, E> = (effect: E, dispatch: (action: A) => void) => void;

export interface Screen<S, A, E, Env> {
  state: S;
  /** The state as of the last action, between renders too. */
  current(): S;
  dispatch(action: A): void;
  provide(env: Env, run: Runner<A, E>): void;
}

export function useScreen<S, A, E, Env>(
  reduce: Reducer<S, A, E, Env>,
  initial: () => S,
): Screen<S, A, E, Env> {
  const [state, setState] = useState(initial);
  const current = useRef(state);
  const world = useRef<{ env: Env; run: Runner<A, E> } | undefined>(undefined);
  const dispatch = useCallback(
    (action: A) => {
      const at = world.current;
      if (!at) throw new Error("useScreen: dispatch before the screen provided its world");
      const step = reduce(current.current, action, at.env);
      if (step.state !== current.current) {
        current.current = step.state;
        setState(step.state);
      }
      for (const effect of step.effects) at.run(effect, dispatch);
    },
    [reduce],
  );
  const read = useCallback(() => current.current, []);
  const provide = useCallback((env: Env, run: Runner<A, E>) => {
    world.current = { env, run };
  }, []);
  return { state, current: read, dispatch, provide };
}

/** Dispatches what an effect's promise says when it comes, as `settled` (an error as one). */
export function settle(dispatch: (action: Settled) => void, what: Promise<string>): void {
  what.then(
    (text) => dispatch({ type: "settled", text, error: false }),
    (cause: Error) => dispatch({ type: "settled", text: cause.message, error: true }),
  );
}
