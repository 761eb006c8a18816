/**
 * Taking the terminal over and giving it back. Ink 6 does not switch to the alternate screen
 * or turn bracketed paste on, so the TUI does it here, and makes sure the user gets their
 * shell back in the state they left it however the process ends: a normal exit, a signal
 * (SIGHUP when an SSH link drops), or a crash.
 *
 * Use it around Ink:
 *   const restore = enterFullScreen(process.stdout);
 *   const app = render(<App />, { exitOnCtrlC: false });
 *   await app.waitUntilExit();
 *   restore();
 */
import { constants } from "node:os";
import { inspect } from "node:util";

/** Alternate screen on, cursor hidden, bracketed paste on. */
export const ENTER_FULL_SCREEN = "\x1b[?1049h\x1b[?25l\x1b[?2004h";
/** The inverse, in the reverse order. */
export const LEAVE_FULL_SCREEN = "\x1b[?2004l\x1b[?25h\x1b[?1049l";

export type TerminalOutput = { isTTY?: boolean; write(text: string): unknown };

/** The process, or a stand-in for tests: where the exit, signal and crash events come from. */
export type TerminalHost = {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  exit(code: number): void;
  stderr: { write(text: string): unknown };
};

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const SIGNAL_GRACE_MS = 2_000;

/**
 * Switch `stdout` to a full-screen terminal and return `restore`, which switches it back
 * exactly once however often it is called. Not a terminal (piped, redirected): nothing to do.
 */
export function enterFullScreen(
  stdout: TerminalOutput,
  host: TerminalHost = process,
  /** Work that must not be lost when a signal ends the process (drafts): given up to 2 s. */
  beforeSignalExit?: () => Promise<unknown>,
): () => void {
  if (!stdout.isTTY) return () => {};

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    host.off("exit", restore);
    for (const [signal, listener] of onSignal) host.off(signal, listener);
    host.off("uncaughtException", onCrash);
    host.off("unhandledRejection", onCrash);
    try {
      stdout.write(LEAVE_FULL_SCREEN);
    } catch {
      // The terminal is gone (a dropped SSH link): there is nobody left to restore it for.
    }
  };
  // Listening for a signal replaces Node's default of dying, so exit as it would have.
  const onSignal = SIGNALS.map((signal) => {
    const listener = () => {
      restore();
      const exit = () => host.exit(128 + constants.signals[signal]);
      if (!beforeSignalExit) return exit();
      const deadline = setTimeout(exit, SIGNAL_GRACE_MS);
      beforeSignalExit()
        .catch(() => undefined)
        .finally(() => {
          clearTimeout(deadline);
          exit();
        });
    };
    return [signal, listener] as const;
  });
  const onCrash = (error: unknown) => {
    restore();
    host.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : inspect(error)}\n`,
    );
    host.exit(1);
  };

  host.on("exit", restore);
  for (const [signal, listener] of onSignal) host.on(signal, listener);
  host.on("uncaughtException", onCrash);
  host.on("unhandledRejection", onCrash);
  stdout.write(ENTER_FULL_SCREEN);
  return restore;
}
