import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/main.js";
import { startRedis, type TestRedis } from "./redis.js";

/** Runs one weft command line in-process with captured output and its own environment. */
export async function runWeft(
  argv: string[],
  options: {
    cwd: string;
    env?: Record<string, string | undefined>;
    /** stdout is a terminal this wide. */
    tty?: { columns: number };
  },
) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: {
      write: (s: string) => {
        stdout += s;
      },
      ...(options.tty ? { isTTY: true, columns: options.tty.columns } : {}),
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

/**
 * A CLI test file against its own redis-server: each test gets a fresh directory and a fresh
 * key prefix. `ctx` is filled by the hooks; tests may change `ctx.env` for one test.
 */
export function cliOnRedis(tag: string) {
  const ctx = {
    server: undefined as unknown as TestRedis,
    dir: "",
    env: {} as Record<string, string>,
  };
  let prefix = 0;
  beforeAll(async () => {
    ctx.server = await startRedis();
  });
  afterAll(() => ctx.server.stop());
  beforeEach(() => {
    ctx.dir = mkdtempSync(join(tmpdir(), `weft-${tag}-`));
    ctx.env = { REDIS_URL: ctx.server.url, WEFT_PREFIX: `${tag}${++prefix}`, WEFT_USER: "ada" };
    return () => rmSync(ctx.dir, { recursive: true, force: true });
  });
  return {
    ctx,
    weft: (...argv: string[]) => runWeft(argv, { cwd: ctx.dir, env: ctx.env }),
    write: (name: string, text: string) => writeFileSync(join(ctx.dir, name), text),
  };
}
