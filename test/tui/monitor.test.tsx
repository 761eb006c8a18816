/**
 * Run screens driven by real keystrokes through ink-testing-library, on a real Redis with a real
 * in-process worker: start a run from the form, watch nodes turn to ✓ in frames, cancel a run
 * whose shell node sleeps (the process is gone, the nodes cancelled, the audit says who), retry
 * it, open a failed node's error and log, and see a run started elsewhere appear in the list.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isAlive } from "../../src/store/embedded.js";
import type { Start } from "../../src/tui/app.js";
import { appOnRedis } from "../support/app-on-redis.js";

const KEY = { enter: "\r", escape: "\x1b", f5: "\x1b[15~", down: "\x1b[B", right: "\x1b[C" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const app = appOnRedis("m", { examples: ["examples/data-pipeline.yaml"] });
const { save } = app;
const open = (start: Start, size = { width: 120, height: 36 }) => app.open(start, size);

const count = (text: string, part: string) => text.split(part).length - 1;

describe("starting a run", () => {
  it("opens the form from the designer, edits a parameter, starts the run and watches every node finish", async () => {
    const ui = open({ type: "workflow", ref: "data-pipeline" });
    await ui.until("Nodes 7 · Edges 7 · v1");
    await ui.press("r");
    await ui.until("Start a run of data-pipeline@1");
    const form = ui.frame();
    expect(form).toContain("min_quality");
    expect(form).toContain("0.95");
    expect(form).toContain("https://example.com/exports/daily.csv");
    // min_quality is the first field: Enter edits it; a low bar sends the data to primary storage.
    await ui.press(KEY.enter);
    await ui.until("min_quality:");
    await ui.press("\x15"); // ctrl+u clears the field
    await ui.type("0.1");
    await ui.press(KEY.enter);
    await ui.until((f) => f.includes("0.1") && !f.includes("0.95"));
    await ui.press(KEY.f5);
    await ui.until("Run ");
    const done = await ui.until("SUCCEEDED", 15_000);
    expect(done).toContain("6 succeeded · 1 skipped");
    // The nodes show their state without colour: ✓ on each that succeeded.
    await ui.until((f) => count(f, "✓") >= 4);
    const [id] = (await app.runs.list({}, 1)).rows.map((r) => r.id);
    const record = await app.engine.status(id!);
    expect(JSON.parse(record.fields.params!)).toEqual({
      min_quality: 0.1,
      source: "https://example.com/exports/daily.csv",
    });
    expect(record.fields.who).toBe("grace");
  });

  it("offers to save unsaved edits first, or runs the saved version as it is", async () => {
    const ui = open({ type: "workflow", ref: "data-pipeline" });
    await ui.until("Nodes 7 · Edges 7 · v1");
    await ui.press("n");
    await ui.until("Add node");
    await ui.press("t");
    await ui.until("(unsaved)");
    await ui.press("r");
    await ui.until("Unsaved changes: a run uses a saved version. y runs v1 as saved");
    await ui.press("s");
    await ui.until("Save message");
    await ui.press(KEY.escape);
    await ui.until((f) => !f.includes("Save message"));
    await ui.press("r");
    await ui.until("y runs v1");
    await ui.press("y");
    await ui.until("Start a run of data-pipeline@1");
    // Esc goes back to the designer with the edit still there.
    await ui.press(KEY.escape);
    await ui.until("Nodes 8 · Edges 8 · v1 (unsaved)");
  });

  it("shows every parameter problem at once and starts nothing until they are fixed", async () => {
    await save({
      name: "typed",
      parameters: {
        count: { type: "integer", required: true },
        mode: { type: "enum", enum: ["fast", "safe"], required: true },
        dry: { type: "boolean", default: false },
      },
      nodes: [{ id: "a", kind: "task", handler: "noop" }],
    });
    const ui = open({ type: "list" });
    await ui.until("typed");
    await ui.type("typed");
    await ui.until((f) => f.includes("typed") && !f.includes("data-pipeline"));
    await ui.press(KEY.f5);
    await ui.until("Start a run of typed@1");
    const form = await ui.until("2 problems to fix");
    expect(form).toContain("missing required parameter `count`");
    expect(form).toContain("missing required parameter `mode`");
    await ui.press(KEY.f5);
    await sleep(200);
    expect((await app.runs.list({}, 10)).rows).toHaveLength(0);
    // count: typed, wrongly, then rightly; mode: picked; dry: toggled.
    await ui.press(KEY.enter);
    await ui.until("count:");
    await ui.type("2.5");
    await ui.press(KEY.enter);
    await ui.until("must be an integer");
    await ui.press("\x1b[A", KEY.enter);
    await ui.until("count:");
    await ui.press("\x15");
    await ui.type("3");
    await ui.press(KEY.enter);
    await ui.until("1 problem to fix");
    // The cursor moved on to the next field (dry, a boolean): Enter toggles it.
    await ui.press(KEY.enter);
    await ui.until("[x] true");
    await ui.press(KEY.down, KEY.right);
    await ui.until("‹ fast ›");
    await ui.until("Start the run");
    await ui.press(KEY.f5);
    await ui.until("SUCCEEDED", 15_000);
    const [row] = (await app.runs.list({}, 1)).rows;
    expect(JSON.parse((await app.engine.status(row!.id)).fields.params!)).toEqual({
      count: 3,
      dry: true,
      mode: "fast",
    });
  });
});

describe("operating a run", () => {
  it("cancels a run whose shell node sleeps after the typed confirmation, then retries it", async () => {
    const pidFile = join(app.server.dir, `nap-${app.test}.pid`);
    await save({
      name: "sleepy",
      nodes: [
        {
          id: "nap",
          kind: "task",
          handler: "shell",
          with: {
            command: `test -e ${pidFile}.again && exit 0; echo $$ > ${pidFile}; sleep 30 & wait`,
            shell: true,
          },
        },
        { id: "after", kind: "task", handler: "noop" },
      ],
      edges: [{ from: "nap", to: "after" }],
    });
    const id = await app.engine.startRun("sleepy", {});
    const ui = open({ type: "run", id });
    await ui.until(`Run ${id}`);
    await ui.until(/⠋|⠙|⠹|⠸|⠼|⠴|⠦|⠧|⠇|⠏/);
    while (!existsSync(pidFile) || readFileSync(pidFile, "utf8").trim() === "") await sleep(20);
    const pid = Number(readFileSync(pidFile, "utf8"));
    expect(isAlive(pid)).toBe(true);

    await ui.press("X");
    await ui.until("to cancel it");
    await ui.type("zzzz");
    await ui.until("that is not");
    await ui.press("\x15");
    await ui.type(id.slice(-4).toLowerCase());
    await ui.press(KEY.enter);
    await ui.until("Reason (optional)");
    await ui.type("wrong input file");
    await ui.press(KEY.enter);
    await ui.until(`cancelled run ${id} (wrong input file)`);
    await ui.until("CANCELLED");
    await ui.until("⊘");
    const gone = Date.now();
    while (isAlive(pid) && Date.now() - gone < 2000) await sleep(20);
    expect(isAlive(pid)).toBe(false);
    const record = await app.engine.status(id);
    expect(record.nodes.nap?.status).toBe("cancelled");
    expect(record.nodes.after?.status).toBe("cancelled");
    const audit = await app.server.redis.xrange(app.keys.audit, "-", "+");
    const entry = audit.map(([, f]) => f).find((f) => f.includes("cancel"));
    expect(entry).toEqual(expect.arrayContaining(["who", "grace", "run", id, "wrong input file"]));

    // Cancelling again is refused with the reason; retrying runs it again.
    await ui.press("X");
    await ui.until("cannot cancel: the run has cancelled");
    (await import("node:fs")).writeFileSync(`${pidFile}.again`, "");
    await ui.press("a");
    await ui.until("Retry:");
    await ui.press(KEY.enter);
    await ui.until(`run ${id}: attempt 2 reruns 2 nodes`);
    await ui.until("SUCCEEDED", 15_000);
    await ui.until((f) => count(f, "✓") === 2);
    const audit2 = await app.server.redis.xrange(app.keys.audit, "-", "+");
    expect(audit2.map(([, f]) => f).some((f) => f.includes("retry") && f.includes("grace"))).toBe(
      true,
    );
  });

  it("says when no worker serves a run's queue, and drives it from the terminal on r", async () => {
    await save({
      name: "manual",
      defaults: { queue: "by-hand" },
      nodes: [
        { id: "one", kind: "task", handler: "noop" },
        { id: "two", kind: "task", handler: "noop" },
      ],
      edges: [{ from: "one", to: "two" }],
    });
    const id = await app.engine.startRun("manual", {});
    const ui = open({ type: "run", id });
    await ui.until("no worker serves queue by-hand: F5 drives the run from here");
    await ui.press("r");
    await ui.until(`driving run ${id} from this terminal`);
    await ui.until("SUCCEEDED");
    expect((await app.engine.status(id)).fields.status).toBe("succeeded");
  });

  it("asks before quitting while it drives a run: Esc keeps driving, c cancels the run (issue 13, problem 3)", async () => {
    await save({
      name: "held",
      defaults: { queue: "by-hand-2" },
      nodes: [{ id: "nap", kind: "task", handler: "shell", with: { command: ["sleep", "30"] } }],
    });
    const id = await app.engine.startRun("held", {});
    const ui = open({ type: "run", id }, { width: 80, height: 24 });
    await ui.until("no worker serves queue by-hand-2");
    await ui.press("r");
    await ui.until(`driving run ${id} from this terminal`);
    await ui.until(/⠋|⠙|⠹|⠸|⠼|⠴|⠦|⠧|⠇|⠏/);
    await ui.press("q");
    const asked = (await ui.until(`This terminal drives run ${id}`)).replace(/\s+/g, " ");
    expect(asked).toContain("h hands it to workers and quits");
    expect(asked).toContain("c cancels and quits · Esc or any other key keeps driving");
    await ui.press(KEY.escape);
    await ui.until((f) => !f.includes("This terminal drives"));
    expect((await app.engine.status(id)).fields.status).toBe("running");
    await ui.press("q");
    await ui.until(`This terminal drives run ${id}`);
    await ui.press("c");
    for (let i = 0; i < 100 && (await app.engine.status(id)).fields.status !== "cancelled"; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await app.engine.status(id)).fields.status).toBe("cancelled");
  });

  it("lists the monitor's keys in its help, not the designer's (issue 13, problem 11)", async () => {
    await save({ name: "helpful", nodes: [{ id: "one", kind: "task", handler: "noop" }] });
    const id = await app.engine.startRun("helpful", {});
    const ui = open({ type: "run", id });
    await ui.until("Run ");
    await ui.press("?");
    const help = await ui.until("weft · help · monitor");
    expect(help).toContain("Cancel the run");
    expect(help).not.toContain("Add a node after the selection");
    await ui.type("follow");
    await ui.until("Follow the node's log as it grows");
  });

  it("follows a running node's log as it grows", async () => {
    await save({
      name: "chatty",
      nodes: [
        {
          id: "talk",
          kind: "task",
          handler: "shell",
          with: { command: "echo first line; sleep 1.2; echo second line; sleep 30", shell: true },
        },
      ],
    });
    const id = await app.engine.startRun("chatty", {});
    const ui = open({ type: "run", id });
    await ui.until(/⠋|⠙|⠹|⠸|⠼|⠴|⠦|⠧|⠇|⠏/);
    await ui.press(KEY.enter);
    await ui.until("Attempts");
    await ui.press("L");
    await ui.until("Log (following)");
    await ui.until("first line");
    await ui.until("second line", 5000);
    await app.engine.cancelRun(id, "done watching");
  });

  it("opens a failed node's attempts, error and log", async () => {
    await save({
      name: "flaky",
      nodes: [
        {
          id: "load",
          kind: "task",
          handler: "shell",
          with: { command: "echo loading rows; echo disk full >&2; exit 3", shell: true },
          retries: { max: 2, backoff: "fixed", initial: "10ms" },
        },
      ],
    });
    const id = await app.engine.startRun("flaky", {});
    const ui = open({ type: "run", id });
    await ui.until("FAILED", 15_000);
    await ui.until(/✗ (fail |FAILED )?#3/);
    await ui.press(KEY.enter);
    const details = await ui.until("loading rows");
    expect(details).toContain("load · task · failed · attempt 3");
    expect(details).toMatch(/#1 .* failed/);
    expect(details).toMatch(/#2 .* failed/);
    expect(details).toMatch(/#3 .* failed/);
    expect(details).toContain("exit");
    expect(details).toContain("disk full");
    await ui.press(KEY.escape);
    await ui.until((f) => !f.includes("Attempts"));
  });
});

describe("the runs list", () => {
  it("shows a run started elsewhere within a second, filters by status and opens a run", async () => {
    const ui = open({ type: "runs" });
    await ui.until("No runs yet");
    const id = await app.engine.startRun("data-pipeline", {});
    const seen = Date.now();
    await ui.until(id, 3000);
    expect(Date.now() - seen).toBeLessThan(1500);
    await ui.until((f) => f.includes("succeeded") && f.includes("7/7"), 15_000);
    expect(ui.frame()).toContain("data-pipeline@1");
    expect(ui.frame()).toContain("grace");
    await ui.press("s");
    await ui.until("status running");
    await ui.until("No run matches");
    await ui.press("s", "s", "s");
    await ui.until("status succeeded");
    await ui.until(id);
    await ui.press(KEY.enter);
    await ui.until(`Run ${id}`);
    await ui.until("SUCCEEDED");
    await ui.press(KEY.escape);
    await ui.until("Runs · status succeeded");
    // Esc leaves the run in one press even with a message on its status line (issue 13, problem 8).
    await ui.press(KEY.enter);
    await ui.until("SUCCEEDED");
    await ui.press("X");
    await ui.until("cannot cancel: the run has succeeded");
    await ui.press(KEY.escape);
    await ui.until("Runs · status succeeded");
  });
});
