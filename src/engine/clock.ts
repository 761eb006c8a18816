/** The one source of time a worker reads (the engine's by default); tests may pass their own. */
export interface Clock {
  now(): number;
}
