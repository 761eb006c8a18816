import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { cliOnRedis } from "../support/cli.js";
import { poll } from "../support/until.js";

const root = resolve(import.meta.dirname, "../..");
const { ctx, weft, write } = cliOnRedis("reap");

/**
 * Whether any process of the group still runs. A killed process stays a zombie until its new
 * parent (init) reaps it, which can take a while on a loaded machine: zombies run nothing.
 */
function groupAlive(pgid: number): boolean {
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces, so read after its closing paren.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z") return true;
  }
  return false;
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
        // Each attempt runs in a fresh temporary directory: the pid goes where the test looks.
        `      command: "echo $$ > '${join(ctx.dir, "pgid")}'; sleep 60 & sleep 60"`,
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
        await poll(
          () => existsSync(pgidFile) && readFileSync(pgidFile, "utf8").endsWith("\n"),
          10_000,
        ),
      ).toBe(true);
      pgid = Number(readFileSync(pgidFile, "utf8"));
      expect(groupAlive(pgid)).toBe(true);
      // The task runs: the worker has handed its group to the reaper right after spawning it
      // (a worker that dies in the moment between the two leaves that one task unreaped).
      await sleep(300);
      worker.kill("SIGKILL");
      const gone = (await poll(() => !groupAlive(pgid), 2000)) === true;
      if (!gone)
        process.stderr.write(
          execFileSync("ps", ["-eo", "pid,ppid,pgid,stat,etimes,args"]).toString(),
        );
      expect(gone).toBe(true);
    } finally {
      worker.kill("SIGKILL");
      if (pgid > 0 && groupAlive(pgid)) process.kill(-pgid, "SIGKILL");
    }
  });
});
