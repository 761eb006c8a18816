import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { cliOnRedis } from "../support/cli.js";

const root = resolve(import.meta.dirname, "../..");
const { ctx, weft, write } = cliOnRedis("rc");

/** The real binary as a separate process (a worker), its output collected. */
function spawnWeft(...argv: string[]): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(process.execPath, [join(root, "bin/weft.js"), ...argv], {
    cwd: ctx.dir,
    env: { ...process.env, ...ctx.env, NO_COLOR: "1" },
  });
  child.stdout!.on("data", (d) => {
    output += d;
  });
  child.stderr!.on("data", (d) => {
    output += d;
  });
  return { child, output: () => output };
}

describe("weft run", () => {
  it("runs the seed's data pipeline to the end with --wait, a line per node change", async () => {
    await weft("import", join(root, "examples/data-pipeline.yaml"));
    const r = await weft("run", "data-pipeline", "--wait");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ store_backup {2}skipped\n/);
    expect(r.stdout).toMatch(/ notify {2}succeeded\n.* run succeeded\n$/);
    expect(r.stderr).toMatch(/^run [0-9A-Z]{26}: data-pipeline@1\n$/);
  });

  it("runs the multi-workflow ETL example: the parent's sub-workflow nodes run their children", async () => {
    await weft("import", join(root, "examples/daily-etl.yaml"));
    const r = await weft("run", "daily-etl", "--wait");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ join_data {2}succeeded\n.* run succeeded\n$/);
    const runs = JSON.parse((await weft("runs", "--format", "json", "--limit", "10")).stdout) as {
      workflow: string;
      status: string;
    }[];
    expect(runs.map((x) => `${x.workflow} ${x.status}`).sort()).toEqual([
      "daily-etl succeeded",
      "extract-module succeeded",
      "extract-module succeeded",
      "join-module succeeded",
    ]);
  });

  it("takes typed parameters from -p and a params file, and refuses bad ones before starting", async () => {
    await weft("import", join(root, "examples/order-saga.yaml"));
    write("params.yaml", "order_id: A-1\namount: 3\n");
    expect(
      (
        await weft(
          "run",
          "order-saga",
          "--params-file",
          "params.yaml",
          "-p",
          "amount=7.5",
          "--wait",
        )
      ).code,
    ).toBe(0);
    const bad = await weft("run", "order-saga", "-p", "amount=lots");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^weft: bad parameters: amount: .*lots/);
    const missing = await weft("run", "order-saga");
    expect(missing.stderr).toContain("order_id: missing required parameter `order_id`");
    expect(JSON.parse((await weft("runs", "--format", "json")).stdout)).toHaveLength(1);
  });

  it("starts a run with --priority, shown by status, and refuses one out of range", async () => {
    write("p.yaml", "name: p\nnodes:\n  - { id: pause, kind: delay, duration: 1h }\n");
    await weft("import", "p.yaml");
    const bad = await weft("run", "p", "--priority", "11");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--priority takes a whole number from -10 to 10, not `11`");
    expect((await weft("run", "p", "--priority", "high")).code).toBe(2);
    const id = (await weft("run", "p", "--priority", "4")).stdout.trim();
    expect((await weft("status", id)).stdout).toMatch(/started by ada, priority 4,/);
  });

  it("exits 1 when the run fails and shows why in status", async () => {
    write(
      "f.yaml",
      "name: f\nnodes:\n  - { id: a, kind: task, handler: fail, with: { message: disk full } }\n",
    );
    await weft("import", "f.yaml");
    const r = await weft("run", "f", "--wait");
    expect(r.code).toBe(1);
    const id = r.stderr.match(/run ([0-9A-Z]{26})/)![1]!;
    const status = await weft("status", id);
    expect(status.stdout).toContain(`run ${id}: f@1 failed (node a failed: disk full)`);
    expect(status.stdout).toMatch(/^a\s+failed\s+1\s+\S+\s+disk full$/m);
  });
});

describe("a saga from the command line", () => {
  it("runs the order saga's undo with --wait, says why it ended, and lists what undid what", async () => {
    await weft("import", join(root, "examples/order-saga.yaml"));
    const r = await weft(
      "run",
      "order-saga",
      "-p",
      "order_id=A-9",
      "-p",
      "fail_step=ship",
      "--wait",
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ run compensating\n/);
    expect(r.stdout).toMatch(/ charge_payment {2}compensating {2}\(by refund_payment\)\n/);
    expect(r.stdout).toMatch(/ run compensated\n$/);
    const id = r.stderr.match(/run ([0-9A-Z]{26})/)![1]!;
    expect(r.stderr).toContain(`run ${id} compensated: node ship_order failed`);
    const status = (await weft("status", id)).stdout;
    expect(status).toContain(`order-saga@1 compensated (node ship_order failed`);
    expect(status).toMatch(/^charge_payment\s+compensated\s/m);
    // In the order they ran: the refund first, then the release.
    expect(status).toMatch(
      /refund_payment \(undoes charge_payment\)[\s\S]*release_inventory \(undoes/,
    );
    expect(status).not.toContain("cancel_shipment");
  });

  it("undoes a running run with `weft cancel --compensate`", async () => {
    write(
      "slow-saga.yaml",
      [
        "name: slow-saga",
        "nodes:",
        "  - { id: book, kind: task, handler: noop, compensation: unbook }",
        "  - { id: wait, kind: task, handler: sleep, with: { duration: 30s } }",
        "  - { id: unbook, kind: compensation, handler: noop, compensates: book }",
        "edges:",
        "  - { from: book, to: wait }",
        "",
      ].join("\n"),
    );
    await weft("import", "slow-saga.yaml");
    const id = (await weft("run", "slow-saga")).stdout.trim();
    const worker = spawnWeft("worker", "--concurrency", "2");
    try {
      for (let i = 0; i < 100; i++) {
        if ((await weft("status", id)).stdout.match(/^wait\s+running/m)) break;
        await sleep(100);
      }
      const c = await weft("cancel", id, "--compensate", "--reason", "booked twice");
      expect(c.code).toBe(0);
      expect(c.stdout).toMatch(/^cancelled \S+(; undoing what it did|$)/);
      let status = "";
      for (let i = 0; i < 100; i++) {
        status = (await weft("status", id)).stdout;
        if (status.includes(" compensated (")) break;
        await sleep(100);
      }
      expect(status).toContain("slow-saga@1 compensated (cancelled by");
      expect(status).toContain("booked twice");
      expect(status).toMatch(/^book\s+compensated\s/m);
      expect(status).toMatch(/^unbook \(undoes book\)\s+succeeded\s/m);
      const audit = (await weft("audit", "--format", "json")).stdout;
      expect(audit).toContain("compensate: booked twice");
    } finally {
      worker.child.kill("SIGTERM");
      await new Promise((done) => worker.child.once("exit", done));
    }
  });
});

describe("weft retry", () => {
  it("reruns a failed run's failed and unreached nodes and follows only the new attempt", async () => {
    const flag = join(ctx.dir, "ready");
    write(
      "r.yaml",
      `name: r\nnodes:\n  - { id: fetch, kind: task, handler: noop }\n  - { id: check, kind: task, handler: shell, with: { command: [test, -f, ${flag}] } }\nedges:\n  - { from: fetch, to: check }\n`,
    );
    await weft("import", "r.yaml");
    const first = await weft("run", "r", "--wait");
    expect(first.code).toBe(1);
    const id = first.stderr.match(/run ([0-9A-Z]{26})/)![1]!;
    write("ready", "");
    const again = await weft("retry", id, "--wait");
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(`run ${id}: attempt 2 reruns check\n`);
    expect(again.stdout.split("\n")[0]).toMatch(/ run retrying$/);
    expect(again.stdout).not.toContain("fetch");
    expect((await weft("retry", id)).stderr).toContain("there is nothing to retry");
    expect((await weft("retry", id, "--from", "fetch", "--from-scratch")).code).toBe(2);
  });
});

describe("workers and operators", () => {
  it("lists, follows, logs and cancels runs served by a separate worker process", async () => {
    write(
      "slow.yaml",
      "name: slow\nnodes:\n  - { id: hello, kind: task, handler: shell, with: { command: [sh, -c, 'echo hi from $0; sleep 20', weft] } }\n",
    );
    await weft("import", "slow.yaml");
    const worker = spawnWeft("worker", "--verbose");
    try {
      const id = (await weft("run", "slow")).stdout.trim();
      for (
        let i = 0;
        i < 200 && !(await weft("logs", id, "hello")).stdout.includes("hi from weft");
        i++
      )
        await sleep(25);
      expect((await weft("logs", id, "hello")).stdout).toBe("hi from weft\n");
      expect((await weft("runs")).stdout).toMatch(
        new RegExp(`^${id}\\s+slow@1\\s+running\\s+`, "m"),
      );
      expect((await weft("cancel", id, "--reason", "enough")).stdout).toBe(`cancelled ${id}\n`);
      expect((await weft("cancel", id)).stdout).toBe(`${id} was cancelled already\n`);
      const events = (await weft("events", id)).stdout;
      expect(events).toMatch(/ hello {2}running {2}\(attempt 1\)\n/);
      expect(events).toMatch(/ run cancelled\n$/);
      expect(JSON.parse((await weft("audit", "--format", "json")).stdout).at(-1)).toMatchObject({
        action: "cancel",
        who: "ada",
      });
    } finally {
      worker.child.kill("SIGTERM");
      await new Promise((r) => worker.child.once("exit", r));
    }
    expect(worker.output()).toContain("worker stopped");
  });

  it("runs a node again on another worker when its worker is killed mid-job", async () => {
    const marker = join(ctx.dir, "first-try");
    write(
      "crash.yaml",
      `name: crash\nnodes:\n  - id: job\n    kind: task\n    handler: shell\n    with: { command: "if [ -f ${marker} ]; then echo second; else touch ${marker}; sleep 5; fi", shell: true }\n  - { id: after, kind: task, handler: noop }\nedges:\n  - { from: job, to: after }\n`,
    );
    await weft("import", "crash.yaml");
    const doomed = spawnWeft("worker", "--lease-ms", "400");
    const id = (await weft("run", "crash")).stdout.trim();
    for (
      let i = 0;
      i < 400 &&
      !(await weft("logs", id, "job")).stdout &&
      !(await import("node:fs")).existsSync(marker);
      i++
    )
      await sleep(25);
    doomed.child.kill("SIGKILL");
    await new Promise((r) => doomed.child.once("exit", r));
    const rescuer = spawnWeft("worker", "--lease-ms", "400");
    try {
      let status = "";
      for (let i = 0; i < 400 && status !== "succeeded"; i++) {
        status = JSON.parse((await weft("status", id, "--format", "json")).stdout).fields.status;
        await sleep(25);
      }
      expect(status).toBe("succeeded");
      const events = (await weft("events", id)).stdout;
      expect(events).toMatch(/ job {2}lease-expired\n/);
      expect(events.match(/ job {2}running /g)).toHaveLength(2);
    } finally {
      rescuer.child.kill("SIGTERM");
      await new Promise((r) => rescuer.child.once("exit", r));
    }
  });
});
