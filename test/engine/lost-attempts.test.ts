import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { cliOnRedis } from "../support/cli.js";

const root = resolve(import.meta.dirname, "../..");
const { ctx, weft, write } = cliOnRedis("lost");

function spawnWorker(): ChildProcess {
  return spawn(process.execPath, [join(root, "bin/weft.js"), "worker", "--lease-ms", "300"], {
    cwd: ctx.dir,
    env: { ...process.env, ...ctx.env, NO_COLOR: "1" },
    stdio: "ignore",
  });
}

async function statusOf(id: string) {
  return JSON.parse((await weft("status", id, "--format", "json")).stdout) as {
    fields: { status: string };
    nodes: Record<string, { status: string; error?: string }>;
  };
}

describe("bounded re-runs", () => {
  it("fails a node that kills every worker that takes it after 2 lost attempts, naming the last", async () => {
    write(
      "doom.yaml",
      [
        "name: doom",
        "nodes:",
        "  - id: poison",
        "    kind: task",
        "    handler: shell",
        '    with: { command: "kill -9 $PPID; sleep 5", shell: true }',
        "  - { id: after, kind: task, handler: noop }",
        "edges:",
        "  - { from: poison, to: after }",
        "",
      ].join("\n"),
    );
    expect((await weft("import", "doom.yaml")).code).toBe(0);
    const id = (await weft("run", "doom")).stdout.trim();
    const deaths: number[] = [];
    // Each worker takes the node (once its last holder's lease has run out) and dies of it, until
    // the node fails; without a bound this would go on for as many workers as we give it.
    let record = await statusOf(id);
    const active = () => ["queued", "running"].includes(record.fields.status);
    for (let i = 0; i < 4 && active(); i++) {
      const worker = spawnWorker();
      let exited = false;
      worker.once("exit", () => {
        exited = true;
      });
      for (let j = 0; j < 400 && !exited && active(); j++) {
        await sleep(25);
        record = await statusOf(id);
      }
      if (exited) deaths.push(worker.pid!);
      else {
        worker.kill("SIGTERM");
        await new Promise((r) => worker.once("exit", r));
      }
    }
    expect(deaths).toHaveLength(2);
    expect(record.fields.status).toBe("failed");
    expect(record.nodes.poison!.status).toBe("failed");
    expect(record.nodes.poison!.error).toMatch(
      new RegExp(`^worker lost 2 times \\(last: [^/]+/${deaths[1]}\\)$`),
    );
    expect(record.nodes.after!.status).toBe("cancelled");
    // Failed by the sweep, not by a worker: it is a dead letter all the same.
    const letters = JSON.parse((await weft("dlq", "ls", "--format", "json")).stdout);
    expect(letters).toMatchObject([
      { run: id, node: "poison", workflow: "doom", error: record.nodes.poison!.error },
    ]);
  });
});
