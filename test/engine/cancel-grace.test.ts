import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "../../src/engine/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { until } from "../support/until.js";
import { engineOn } from "./support.js";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

/** A shell task that cleans up on SIGTERM (writes `cleaned`) and otherwise waits a minute. */
function trappingWorkflow(name: string, dir: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    nodes: [
      {
        id: "careful",
        kind: "task",
        handler: "shell",
        ...extra,
        with: {
          shell: true,
          cwd: dir,
          command: "trap 'echo done > cleaned; exit 0' TERM; touch started; sleep 60 & wait",
        },
      },
    ],
  };
}

async function startThenCancel(name: string, spec: object, dir: string, now: boolean) {
  const e = engineOn(server);
  await e.save(spec);
  const id = await e.engine.startRun(name, {});
  const worker = new Worker(e.engine, server.client(), { onlyRun: id, concurrency: 2 });
  const finished = worker.run();
  await until("the task to start", 5_000, () => existsSync(join(dir, "started")), 20);
  const cancelledAt = Date.now();
  await e.engine.cancelRun(id, "enough", { now });
  await finished;
  const stoppedAfterMs = Date.now() - cancelledAt;
  return { record: await e.engine.status(id), stoppedAfterMs };
}

describe("stopping a task", () => {
  it("gives a cancelled task its grace: SIGTERM first, so its trap cleans up", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-grace-"));
    try {
      const { record } = await startThenCancel(
        "graceful",
        trappingWorkflow("graceful", dir),
        dir,
        false,
      );
      expect(record.fields.status).toBe("cancelled");
      expect(existsSync(join(dir, "cleaned"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("kills at once with cancel --now: the trap never runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-grace-"));
    try {
      const { record } = await startThenCancel(
        "abrupt",
        trappingWorkflow("abrupt", dir),
        dir,
        true,
      );
      expect(record.fields.status).toBe("cancelled");
      await sleep(200);
      expect(existsSync(join(dir, "cleaned"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("kills a task that ignores SIGTERM when its killGrace runs out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-grace-"));
    try {
      const spec = {
        name: "stubborn",
        nodes: [
          {
            id: "stubborn",
            kind: "task",
            handler: "shell",
            killGrace: "1s",
            with: {
              shell: true,
              cwd: dir,
              command: "trap '' TERM; touch started; while :; do sleep 0.1; done",
            },
          },
        ],
      };
      const { record, stoppedAfterMs } = await startThenCancel("stubborn", spec, dir, false);
      expect(record.fields.status).toBe("cancelled");
      expect(stoppedAfterMs).toBeGreaterThanOrEqual(900);
      expect(stoppedAfterMs).toBeLessThan(4000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives a timed-out task the grace too: its trap cleans up", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-grace-"));
    try {
      const e = engineOn(server);
      await e.save(trappingWorkflow("slow", dir, { timeout: "1s" }));
      const { record } = await e.runToEnd("slow");
      expect(record.nodes.careful).toMatchObject({ status: "failed" });
      expect(record.nodes.careful!.error).toMatch(/timed out/);
      expect(existsSync(join(dir, "cleaned"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
