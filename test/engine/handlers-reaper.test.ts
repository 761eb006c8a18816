import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { cliOnRedis } from "../support/cli.js";

const root = resolve(import.meta.dirname, "../..");
const { ctx, weft, write } = cliOnRedis("reap");

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw e;
  }
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await sleep(20);
  }
  return true;
}

describe("a worker's shell tasks", () => {
  it("are gone within 2 s after the worker is SIGKILLed", async () => {
    write(
      "orphans.yaml",
      [
        "name: orphans",
        "nodes:",
        "  - id: hold",
        "    kind: task",
        "    handler: shell",
        "    with:",
        "      shell: true",
        `      command: "echo $$ > pgid; sleep 60 & sleep 60"`,
        "",
      ].join("\n"),
    );
    expect((await weft("import", "orphans.yaml")).code).toBe(0);
    expect((await weft("run", "orphans")).code).toBe(0);
    // The built binary (npm run build first), as an operator runs it.
    const worker: ChildProcess = spawn(process.execPath, [join(root, "bin/weft.js"), "worker"], {
      cwd: ctx.dir,
      env: { ...process.env, ...ctx.env, NO_COLOR: "1" },
      stdio: "ignore",
    });
    let pgid = 0;
    try {
      const pgidFile = join(ctx.dir, "pgid");
      expect(
        await until(
          () => existsSync(pgidFile) && readFileSync(pgidFile, "utf8").endsWith("\n"),
          10_000,
        ),
      ).toBe(true);
      pgid = Number(readFileSync(pgidFile, "utf8"));
      expect(groupAlive(pgid)).toBe(true);
      worker.kill("SIGKILL");
      expect(await until(() => !groupAlive(pgid), 2000)).toBe(true);
    } finally {
      worker.kill("SIGKILL");
      if (pgid > 0 && groupAlive(pgid)) process.kill(-pgid, "SIGKILL");
    }
  });
});
