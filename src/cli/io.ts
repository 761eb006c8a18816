/** What a command may touch: its streams and the environment, injected so tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

export const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});

/** Exit codes every command shares. */
export const EXIT = { ok: 0, findings: 1, usage: 2, unreadable: 2 } as const;

/** Raised by a command to stop with a message and an exit code; caught once, in main. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}
