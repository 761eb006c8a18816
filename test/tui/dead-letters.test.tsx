/**
 * The dead-letter view driven by real keystrokes through ink-testing-library, on a real Redis
 * with a real in-process worker: a node that fails for good shows up live, its details show the
 * whole error, `r` requeues it (the run succeeds the second time and the letter leaves the
 * list), `d` purges one only once `y` confirms, and the list scrolls and fits 80x24 and 200x50.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appOnRedis } from "../support/app-on-redis.js";

const KEY = { enter: "\r", escape: "\x1b", pageDown: "\x1b[6~" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const app = appOnRedis("dlq");
const { save, open } = app;

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string) {
  for (let i = 0; i < 300; i++) {
    const value = await read();
    if (ok(value)) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Every line of the frame within the terminal: nothing wraps into a second row. */
function expectFits(frame: string, size: { width: number; height: number }) {
  const lines = frame.split("\n");
  expect(lines.length).toBeLessThanOrEqual(size.height);
  for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(size.width);
}

const lineWith = (frame: string, part: string) => frame.split("\n").find((l) => l.includes(part));

/** A run of `boom` (its one node fails for good), once its letter is on the list. */
async function deadRun(): Promise<string> {
  const before = (await app.engine.deadLetters.list()).length;
  const id = await app.engine.startRun("boom", {});
  await eventually(
    () => app.engine.deadLetters.list(),
    (l) => l.length > before,
    `the dead letter of ${id}`,
  );
  return id;
}

const BOOM = {
  name: "boom",
  nodes: [
    {
      id: "charge",
      kind: "task",
      handler: "fail",
      with: { message: "gateway refused the card\n  at charge (pay.js:10)" },
      retries: { max: 0 },
    },
  ],
};

describe("the dead-letter view", () => {
  it("shows a node that failed for good live, opens its details, and requeues it: the run succeeds and the letter goes", async () => {
    const size = { width: 80, height: 24 };
    const flag = join(mkdtempSync(join(tmpdir(), "weft-dlq-")), "card-ok");
    await save({
      name: "pay",
      parameters: { flag: { type: "string" } },
      nodes: [
        {
          id: "charge",
          kind: "task",
          handler: "shell",
          with: {
            command: [
              "sh",
              "-c",
              'test -e "$1" || { echo "card declined" >&2; exit 4; }',
              "x",
              "${params.flag}",
            ],
          },
          retries: { max: 0 },
        },
      ],
    });
    const ui = open({ type: "runs" }, size);
    await ui.until("No runs yet");
    await ui.press("D");
    await ui.until("No dead letters: no node has failed for good.");
    expect(ui.frame()).toContain("Dead letters · 0");

    // The letter shows up without a key pressed: the view reads the list again each second.
    const id = await app.engine.startRun("pay", { flag });
    const listed = await ui.until(`…${id.slice(-8)}`, 10_000);
    const row = lineWith(listed, `…${id.slice(-8)}`)!;
    expect(row).toMatch(/^…\w{8} +pay@1 +charge +1 +\d+s ago +exited with code 4/);
    expect(listed).toContain("Dead letters · 1 · newest first");
    expectFits(listed, size);

    await ui.press(KEY.enter);
    const details = await ui.until(`run       ${id}`);
    expect(details).toContain("workflow  pay@1");
    expect(details).toContain("node      charge");
    expect(details).toContain("attempts  1");
    expect(details).toMatch(/failed {4}\d{4}-\d\d-\d\dT/);
    expect(details).toContain("exited with code 4");
    // The node's log says why.
    await ui.until(/log[\s\S]*card declined/);
    expect(details).toContain("r requeues · d purges · Enter opens the run's monitor");
    expectFits(details, size);
    await ui.press(KEY.escape);
    await ui.until("LAST ERROR");
    expect(ui.frame()).not.toContain(`run       ${id}`);

    // The task finds its file the second time.
    writeFileSync(flag, "");
    await ui.press("r");
    await ui.until(`requeued charge of run ${id}: attempt 2 reruns charge`);
    const record = await eventually(
      () => app.engine.status(id),
      (r) => r.fields.status === "succeeded" || r.fields.status === "failed",
      "the requeued run to end",
    );
    expect(record.fields.status).toBe("succeeded");
    expect(record.nodes.charge?.status).toBe("succeeded");
    await ui.until("No dead letters");
    expect(ui.frame()).not.toContain(`…${id.slice(-8)}`);
    expect(await app.engine.deadLetters.list()).toEqual([]);
  });

  it("purges the selected letter only once y confirms, newest first, and opens a letter's run", async () => {
    const size = { width: 200, height: 50 };
    await save(BOOM);
    const older = await deadRun();
    const newer = await deadRun();
    const ui = open({ type: "run", id: older }, size);
    await ui.until("FAILED");
    await ui.press("D");
    const listed = await ui.until("Dead letters · 2");
    // Wide: whole ids, and only the error's first line.
    const lines = listed.split("\n");
    const newerAt = lines.findIndex((l) => l.includes(newer));
    const olderAt = lines.findIndex((l) => l.includes(older));
    expect(newerAt).toBeGreaterThan(0);
    expect(olderAt).toBe(newerAt + 1);
    expect(lines[newerAt]).toContain("boom@1");
    expect(lines[newerAt]).toContain("gateway refused the card");
    expect(listed).not.toContain("pay.js:10");
    expectFits(listed, size);

    // Any key but y keeps it.
    await ui.press("d");
    await ui.until(`Purge the dead letter of charge (run …${newer.slice(-8)})?`);
    expect(ui.frame()).toContain("y purges, any other key keeps it");
    await ui.press("n");
    await ui.until("not purged");
    expect(await app.engine.deadLetters.list()).toHaveLength(2);
    await ui.press("d");
    await ui.until("y purges");
    await ui.press(KEY.escape);
    await ui.until("not purged");
    expect(await app.engine.deadLetters.list()).toHaveLength(2);

    // From the details too; y purges the one selected, and the run stays as it was.
    await ui.press(KEY.enter);
    await ui.until("  at charge (pay.js:10)");
    await ui.press("d");
    await ui.until("y purges");
    await ui.press("y");
    await ui.until(`purged the dead letter of charge (run ${newer})`);
    const after = await ui.until("Dead letters · 1");
    expect(after.split("\n").filter((l) => l.includes("boom@1"))).toEqual([
      expect.stringContaining(older),
    ]);
    expect((await app.engine.deadLetters.list()).map((l) => l.run)).toEqual([older]);
    expect((await app.engine.status(newer)).fields.status).toBe("failed");

    // o opens the letter's run; Esc comes back to the list.
    await ui.press("o");
    await ui.until(`Run ${older}`);
    await ui.press(KEY.escape);
    await ui.until("Dead letters · 1");
  });

  it("scrolls a long list, cuts rows to the width with …, and lists its keys in help and footer", async () => {
    const size = { width: 80, height: 24 };
    const now = Date.now();
    await app.engine.deadLetters.add(
      Array.from({ length: 30 }, (_, i) => ({
        run: `01JTESTRUNZZZZZZZZZZZZ${String(i).padStart(4, "0")}`,
        node: `node_${String(i).padStart(2, "0")}`,
        workflow: "a-workflow-with-a-very-long-name",
        version: 12,
        error: `\x1b[31mred\x1b[0m\tboom ${"x".repeat(200)}\nsecond line`,
        attempts: 3,
        at: now - (30 - i) * 1000,
      })),
    );
    const ui = open({ type: "runs" }, size);
    await ui.until("No runs yet");
    await ui.press("D");
    const first = await ui.until("node_29");
    expect(first).toContain("Dead letters · 30");
    expect(first).not.toContain("node_00");
    expect(first).not.toContain("second line");
    expect(first).not.toContain("\x1b[31m");
    const row = lineWith(first, "node_29")!;
    expect(row).toMatch(/^…ZZZZ0029 a-workflow-with… node_29 +3 +\d+s ago +red boom x+…$/);
    expect(row.length).toBe(80);
    expectFits(first, size);
    // The footer names the screen's keys in its own words.
    expect(first).toContain("Enter Details");
    expect(first).toMatch(/(F5\/)?r Requeue/);
    expect(first).toContain("d Purge");

    await ui.press(KEY.pageDown, KEY.pageDown);
    const last = await ui.until("node_00");
    expect(last).not.toContain("node_29");
    expect(lineWith(last, "node_00")).toBeDefined();
    expectFits(last, size);
    // The cursor is on the oldest: its details open.
    await ui.press(KEY.enter);
    await ui.until("node      node_00");
    await ui.press(KEY.escape);

    await ui.press("?");
    const help = await ui.until("help · dlq");
    expect(help).toContain("Dead letters");
    expect(help).toContain("Requeue: the run reruns its failed nodes, the letter goes");
    expect(help).toContain("Purge the letter (asks first: y purges)");
    expect(help).not.toContain("Run the saved version");
    expect(help).not.toContain("Delete the selection");
    await ui.press(KEY.escape);
    await ui.until("LAST ERROR");
  });
});
