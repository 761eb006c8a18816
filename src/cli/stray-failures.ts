/**
 * The last net of the real process: a failure that escaped every command (a background promise
 * of the engine, an error event) is still reported as one line. Redis going away becomes
 * `weft: Redis unreachable at <URL>: <reason>` and exit 2, never a stack trace; so does a password
 * Redis stopped taking (`weft: Redis refused the password for user U at <URL>`).
 */
import { escapeControl } from "../spec/index.js";
import { CliError, type CliIo, EXIT } from "./io.js";

export const EXIT_INTERNAL = 70;

/** The line and exit status for a failure no command caught. */
export async function describeStrayFailure(
  cause: unknown,
  env: CliIo["env"],
): Promise<{ line: string; exitCode: number }> {
  if (cause instanceof CliError)
    return { line: `weft: ${escapeControl(cause.message)}`, exitCode: cause.exitCode };
  // Loaded only now: commands that never touch Redis never pay for the client.
  const { unreachableFrom, storeUrl, storeUser, RedisUrlError } = await import("../store/index.js");
  if (cause instanceof RedisUrlError)
    return { line: `weft: ${escapeControl(cause.message)}`, exitCode: EXIT.unreadable };
  const unreachable = unreachableFrom(cause, storeUrl(env), storeUser(env));
  if (unreachable)
    return { line: `weft: ${escapeControl(unreachable.message)}`, exitCode: EXIT.unreadable };
  return {
    line: `weft: internal error: ${(cause as Error)?.stack ?? String(cause)}`,
    exitCode: EXIT_INTERNAL,
  };
}

/** Installs the net on the process until the returned function takes it down. */
export function catchStrayFailures(io: CliIo): () => void {
  let reported = false;
  const report = (cause: unknown) => {
    if (reported) return;
    reported = true;
    void describeStrayFailure(cause, io.env).then(({ line, exitCode }) => {
      io.stderr.write(`${line}\n`);
      process.exit(exitCode);
    });
  };
  process.on("unhandledRejection", report);
  process.on("uncaughtException", report);
  return () => {
    process.off("unhandledRejection", report);
    process.off("uncaughtException", report);
  };
}
