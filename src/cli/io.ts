/** What a command may touch: its streams and the environment, injected so tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

export const processIo = (): CliIo => ({
  stdout: untilClosed(process.stdout),
  stderr: untilClosed(process.stderr),
  env: process.env,
  cwd: process.cwd(),
});

/**
 * A stream that drops what is written once its reader has gone (EPIPE: `weft run --wait | head
 * -1`), instead of failing the command: the run still has to be driven to its end.
 */
export function untilClosed(stream: NodeJS.WriteStream): CliIo["stdout"] & { columns?: number } {
  let closed = false;
  stream.on("error", () => {
    closed = true;
  });
  return {
    write: (text: string) => (closed || stream.destroyed ? false : stream.write(text)),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  };
}

/** Exit codes every command shares. */
export const EXIT = { ok: 0, findings: 1, usage: 2, unreadable: 2, notAllowed: 3 } as const;

/** Raised by a command to stop with a message and an exit code; caught once, in main. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}
