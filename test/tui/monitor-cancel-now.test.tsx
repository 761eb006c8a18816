/**
 * The monitor's cancel prompt with "now": typing `!` with the run id's last 4 characters kills
 * the run's tasks at once, so a task that would clean up on SIGTERM never gets to.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DesignerSession } from "../../src/app/designer/session.js";
import type { RunSession } from "../../src/app/runs/run-session.js";
import { openSessions } from "../../src/app/sessions.js";
import { Engine, Worker } from "../../src/engine/index.js";
import { WorkflowSchema } from "../../src/spec/index.js";
import { storeKeys } from "../../src/store/index.js";
import { createLayoutService, type LayoutService } from "../../src/tui/canvas/layout-service.js";
import { openWeft, unmountAll } from "../support/ink-app.js";
import { startRedis, type TestRedis } from "../support/redis.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: TestRedis;
let layout: LayoutService;
let engine: Engine;
let designer: DesignerSession;
let runs: RunSession;
let worker: Worker;
let working: Promise<void>;
let dir: string;

beforeAll(async () => {
  server = await startRedis();
  layout = createLayoutService();
});
afterAll(async () => {
  layout.close();
  await server.stop();
});

beforeEach(() => {
  const keys = storeKeys("cnow");
  const actor = { user: "grace", host: "ops-box" };
  engine = new Engine({ redis: server.redis, keys, actor });
  ({ designer, runs } = openSessions({
    redis: server.redis,
    keys,
    actor,
    registry: engine.registry,
    engine,
  }));
  worker = new Worker(engine, server.client(), { concurrency: 2, queues: ["default"] });
  working = worker.run();
  dir = mkdtempSync(join(tmpdir(), "weft-cnow-"));
});

afterEach(async () => {
  unmountAll();
  await worker.stop(1000);
  await working;
  await runs.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("cancelling from the monitor", () => {
  it("kills the tasks at once when the code is typed with !", async () => {
    const saved = await engine.registry.save([
      WorkflowSchema.parse({
        name: "careful",
        nodes: [
          {
            id: "careful",
            kind: "task",
            handler: "shell",
            with: {
              shell: true,
              cwd: dir,
              command: "trap 'echo done > cleaned; exit 0' TERM; touch started; sleep 60 & wait",
            },
          },
        ],
      }),
    ]);
    expect(saved.ok).toBe(true);
    const id = await engine.startRun("careful", {});
    const ui = openWeft(
      { session: designer, runs, layout, start: { type: "run", id } },
      {
        width: 120,
        height: 36,
      },
    );
    await ui.until(`Run ${id}`);
    while (!existsSync(join(dir, "started"))) await sleep(20);

    await ui.press("X");
    await ui.until("to kill at once");
    await ui.type(`${id.slice(-4)}!`);
    await ui.press("\r");
    await ui.until("killing its tasks at once (no grace)");
    await ui.press("\r");
    await ui.until(`cancelled run ${id} at once`);
    const record = await engine.status(id);
    expect(record.nodes.careful?.status).toBe("cancelled");
    await sleep(300);
    expect(existsSync(join(dir, "cleaned"))).toBe(false);
  });
});

describe("cancelling a saga from the monitor", () => {
  it("asks whether to undo what succeeded, undoes it, and shows the tasks undone", async () => {
    const saved = await engine.registry.save([
      WorkflowSchema.parse({
        name: "booking",
        nodes: [
          { id: "book", kind: "task", handler: "noop", compensation: "unbook" },
          {
            id: "pay",
            kind: "task",
            handler: "shell",
            with: { shell: true, cwd: dir, command: "touch started; exec sleep 60" },
          },
          { id: "unbook", kind: "compensation", handler: "noop", compensates: "book" },
        ],
        edges: [{ from: "book", to: "pay" }],
      }),
    ]);
    expect(saved.ok).toBe(true);
    const id = await engine.startRun("booking", {});
    const ui = openWeft(
      { session: designer, runs, layout, start: { type: "run", id } },
      { width: 80, height: 24 },
    );
    await ui.until(`Run ${id}`);
    while (!existsSync(join(dir, "started"))) await sleep(20);

    await ui.press("X");
    await ui.until("to kill at once");
    await ui.type(id.slice(-4));
    await ui.press("\r");
    await ui.until("Reason (optional)");
    await ui.type("double booking");
    await ui.press("\r");
    await ui.until("stop and undo what succeeded");
    expect(ui.frame()).toContain("Esc keeps running");
    await ui.press("\x1b[C");
    await ui.press("\r");
    await ui.until(`cancelled run ${id} (double booking): undoing what it did`);
    for (let i = 0; i < 100 && (await engine.status(id)).fields.status !== "compensated"; i++)
      await sleep(50);
    const record = await engine.status(id);
    expect(record.fields.status).toBe("compensated");
    expect(record.nodes.book?.status).toBe("compensated");
    expect(record.nodes.pay?.status).toBe("cancelled");
    await ui.until("COMPENSATED");
    await ui.until("1 compensated");
  });
});
