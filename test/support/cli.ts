import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/main.js";

/** Runs one weft command line in-process with captured output and its own environment. */
export async function runWeft(
  argv: string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: {
      write: (s: string) => {
        stdout += s;
      },
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
      },
    },
    env: { NO_COLOR: "1", ...options.env },
    cwd: options.cwd,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
