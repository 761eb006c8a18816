/**
 * What every screen's reducer returns, and the three ways its branches end: the next state
 * alone, the state with effects for the screen to run, or the state with a status message.
 */

export interface Step<S, E> {
  state: S;
  effects: E[];
}

/** A line on a screen's status line; an error is drawn as one. */
export interface StatusMessage {
  error: boolean;
  text: string;
}

/** An action the screen dispatches when an effect's promised message comes (or its error). */
export interface Settled {
  type: "settled";
  text: string;
  error: boolean;
}

export const only = <S>(state: S): Step<S, never> => ({ state, effects: [] });

export const emit = <S, E>(state: S, ...effects: E[]): Step<S, E> => ({ state, effects });

export const said = <S extends { message?: StatusMessage }>(
  state: S,
  text: string,
  error = false,
): Step<S, never> => only({ ...state, message: { error, text } });
