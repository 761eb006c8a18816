/** What every handler gets and gives back. */
export interface HandlerContext {
  /** The node's `with` arguments, `${...}` resolved (shell gets `argv`, see shell-command.ts). */
  args: Record<string, unknown>;
  /** Aborted on timeout, cancellation, or when the worker loses the lease. */
  signal: AbortSignal;
  /** `run:node:attempt`: stable across redeliveries of one attempt. */
  idempotencyKey: string;
  /** Appends to the node's log (captured, capped). */
  log(text: string): void;
  /** Values for `${...}` placeholders a handler resolves itself (shell passes them as env). */
  templates: { values: string[] };
  /** How long a stopped handler may clean up before it is killed, unless the stop says otherwise. */
  killGraceMs: number;
  /** Bytes of stdout and of stderr kept (the workflow's `limits.maxStdout`, `maxStderr`). */
  caps?: { stdout: number; stderr: number };
  /** Marks the node's result (e.g. output cut at its cap): shown by `weft status` and the monitor. */
  note?(text: string): void;
}

/**
 * A stop that says how long the handler may clean up (`graceMs` 0: kill at once, as
 * `weft cancel --now` asks). A stop without it, a timeout for instance, gets the node's grace.
 */
export class StopRequest extends Error {
  constructor(
    message: string,
    readonly graceMs?: number,
  ) {
    super(message);
  }
}

/** The grace an abort reason allows: its own when it is a StopRequest that names one. */
export function graceOf(reason: unknown, defaultMs: number): number {
  return reason instanceof StopRequest && reason.graceMs !== undefined ? reason.graceMs : defaultMs;
}

/**
 * Stops something in two steps: `terminate` at once, `kill` when the grace runs out (at once
 * when it is 0). The pending kill does not keep the process alive: if it ends first, the
 * reaper (see reaper.ts) does the killing.
 */
export function stopWithGrace(graceMs: number, terminate: () => void, kill: () => void): void {
  if (graceMs <= 0) return kill();
  terminate();
  setTimeout(kill, graceMs).unref();
}

/**
 * A failure that carries a code for `retries.nonRetryable`, `retries.abortOn` and
 * `continueOn.codes` (exit code, HTTP status, error code); `abort` when the handler itself asks
 * to stop the whole run (a module's thrown AbortRun); what a process printed to stdout before it
 * failed, for `continueOn.output`.
 */
export class HandlerError extends Error {
  constructor(
    message: string,
    readonly code?: number | string,
    readonly abort = false,
    readonly stdout?: string,
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
