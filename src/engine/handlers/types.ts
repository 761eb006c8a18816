/** What every handler gets and gives back. */
export interface HandlerContext {
  /** The node's `with` arguments, `${...}` already resolved (except shell, see shell.ts). */
  args: Record<string, unknown>;
  /** Aborted on timeout, cancellation, or when the worker loses the lease. */
  signal: AbortSignal;
  /** `run:node:attempt`: stable across redeliveries of one attempt. */
  idempotencyKey: string;
  /** Appends to the node's log (captured, capped). */
  log(text: string): void;
  /** Values for `${...}` placeholders a handler resolves itself (shell passes them as env). */
  templates: { values: string[] };
}

/** A failure that carries a code for `retries.nonRetryable` (exit code, HTTP status, error code). */
export class HandlerError extends Error {
  constructor(
    message: string,
    readonly code?: number | string,
  ) {
    super(message);
  }
}

export type Handler = (ctx: HandlerContext) => Promise<unknown>;

/** Resolves after `ms`, or rejects as soon as the signal aborts. */
export function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
