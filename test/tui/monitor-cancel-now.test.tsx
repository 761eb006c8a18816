/**
 * The monitor's cancel prompt with "now": typing `!` with the run id's last 4 characters kills
 * the run's tasks at once, so a task that would clean up on SIGTERM never gets to.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WorkflowSchema } from "../../src/spec/index.js";
import { appOnRedis } from "../support/app-on-redis.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const app = appOnRedis("cnow", { concurrency: 2 });
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "weft-cnow-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("cancelling from the monitor", () => {
  it("kills the tasks at once when the code is typed with !", async () => {
    const saved = await app.engine.registry.save([
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
    const id = await app.engine.startRun("careful", {});
    const ui = app.open(
      { type: "run", id },
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
    const record = await app.engine.status(id);
    expect(record.nodes.careful?.status).toBe("cancelled");
    await sleep(300);
    expect(existsSync(join(dir, "cleaned"))).toBe(false);
  });
});

describe("cancelling a saga from the monitor", () => {
  it("asks whether to undo what succeeded, undoes it, and shows the tasks undone", async () => {
    const saved = await app.engine.registry.save([
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
    const id = await app.engine.startRun("booking", {});
    const ui = app.open({ type: "run", id }, { width: 80, height: 24 });
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
    for (let i = 0; i < 100 && (await app.engine.status(id)).fields.status !== "compensated"; i++)
      await sleep(50);
    const record = await app.engine.status(id);
    expect(record.fields.status).toBe("compensated");
    expect(record.nodes.book?.status).toBe("compensated");
    expect(record.nodes.pay?.status).toBe("cancelled");
    await ui.until("COMPENSATED");
    await ui.until("1 compensated");
  });
});
