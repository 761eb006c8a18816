/** The monitor's model of a run, moved on by events; badges and the summary as plain strings. */
import { describe, expect, it } from "vitest";
import { formatDuration, matchesRun, type RunRow, toRunRow } from "../../src/app/runs/run-list.js";
import {
  applyEvents,
  attemptsOf,
  countStates,
  edgeState,
  liveRun,
} from "../../src/app/runs/run-state.js";
import type { RunEvent } from "../../src/store/index.js";
import { nodeBadge, summaryText } from "../../src/tui/screens/monitor/monitor-view.js";

const ev = (t: number, node: string, status: string, extra: Record<string, string> = {}) =>
  ({ t: String(t), node, status, ...extra }) as RunEvent;

function decisionRun() {
  return liveRun(
    { status: "queued" },
    {
      check: { status: "queued", attempt: 1 },
      yes: { status: "pending", attempt: 0 },
      no: { status: "pending", attempt: 0 },
      join: { status: "pending", attempt: 0 },
    },
  );
}

describe("a live run", () => {
  it("keeps a waiting node going (no end) until it moves on", () => {
    const live = decisionRun();
    applyEvents(live, [ev(100, "check", "running", { attempt: "1" }), ev(120, "check", "waiting")]);
    expect(live.nodes.get("check")).toMatchObject({ status: "waiting", start: 100 });
    expect(live.nodes.get("check")?.end).toBeUndefined();
    applyEvents(live, [ev(900, "check", "succeeded")]);
    expect(live.nodes.get("check")).toMatchObject({ status: "succeeded", end: 900 });
  });

  it("follows node and run events: attempts, times, counts", () => {
    const live = decisionRun();
    applyEvents(live, [
      ev(100, "", "run:running"),
      ev(100, "check", "running", { attempt: "1", worker: "w1" }),
    ]);
    expect(live.status).toBe("running");
    expect(live.started).toBe(100);
    expect(live.nodes.get("check")).toMatchObject({ status: "running", attempt: 1, start: 100 });
    applyEvents(live, [
      ev(150, "check", "succeeded"),
      ev(150, "yes", "skipped"),
      ev(150, "no", "queued"),
    ]);
    expect(countStates(live)).toEqual({ succeeded: 1, skipped: 1, queued: 1, pending: 1 });
    expect(edgeState(live, "check", "yes")).toBe("skipped");
    expect(edgeState(live, "check", "no")).toBe("taken");
    expect(edgeState(live, "no", "join")).toBe("idle");
    expect(edgeState(live, "yes", "join")).toBe("skipped");
    expect(live.changedAt.get("no")).toBe(150);
  });

  it("asks for a whole read when the run finishes or is retried, and a retry clears the finish", () => {
    const live = decisionRun();
    expect(applyEvents(live, [ev(1, "", "run:running")]).reread).toBe(false);
    expect(applyEvents(live, [ev(9, "", "run:failed")]).reread).toBe(true);
    expect(live.finished).toBe(9);
    expect(applyEvents(live, [ev(12, "", "run:retrying", { attempt: "2" })]).reread).toBe(true);
    expect(live.finished).toBeUndefined();
  });

  it("puts a node back in the queue when its lease expired", () => {
    const live = decisionRun();
    applyEvents(live, [
      ev(5, "check", "running", { attempt: "1" }),
      ev(9, "check", "lease-expired"),
    ]);
    expect(live.nodes.get("check")?.status).toBe("queued");
  });
});

describe("a node's attempts", () => {
  it("pairs each start with how it ended, with the error of each failure", () => {
    const history = [
      ev(1, "a", "queued"),
      ev(2, "a", "running", { attempt: "1", worker: "w1" }),
      ev(5, "a", "retrying", { error: "exit 3", next_attempt: "2" }),
      ev(8, "a", "running", { attempt: "2", worker: "w2" }),
      ev(9, "a", "failed"),
    ];
    expect(attemptsOf(history, { status: "failed", attempt: 2 }, "exit 4")).toEqual([
      { attempt: 1, start: 2, end: 5, status: "failed", error: "exit 3", worker: "w1" },
      { attempt: 2, start: 8, end: 9, status: "failed", error: "exit 4", worker: "w2" },
    ]);
  });
});

describe("badges and the summary", () => {
  it("writes state with shape and words, the longest form that fits", () => {
    expect(nodeBadge({ status: "succeeded", attempt: 1 }, 0, "unicode")).toBe("✓ ok");
    expect(nodeBadge({ status: "failed", attempt: 3 }, 0, "unicode")).toBe("✗ FAILED #3");
    expect(nodeBadge({ status: "failed", attempt: 3 }, 0, "unicode", 9)).toBe("✗ fail #3");
    expect(nodeBadge({ status: "failed", attempt: 3 }, 0, "unicode", 4)).toBe("✗ #3");
    expect(nodeBadge({ status: "failed", attempt: 3 }, 0, "ascii", 1)).toBe("X");
    expect(nodeBadge({ status: "running", attempt: 1, start: 1000 }, 4200, "ascii")).toBe("| 3.2s");
    expect(nodeBadge({ status: "pending", attempt: 0 }, 0, "unicode")).toBeUndefined();
  });

  it("marks a node served from the cache, and a saga's run as going on while it undoes", () => {
    const live = liveRun({ status: "running" }, { a: { status: "running", attempt: 1 } });
    applyEvents(live, [ev(10, "a", "succeeded", { cached: "1" })]);
    expect(nodeBadge(live.nodes.get("a"), 0, "unicode")).toBe("✓ cached");
    applyEvents(live, [ev(20, "", "run:compensating"), ev(20, "a", "compensating")]);
    expect(live.finished).toBeUndefined();
    expect(live.nodes.get("a")!.end).toBe(10);
    expect(nodeBadge(live.nodes.get("a"), 0, "unicode")).toBe("↶ undoing");
    applyEvents(live, [ev(30, "a", "compensated"), ev(30, "", "run:compensated")]);
    expect(live.finished).toBe(30);
    expect(nodeBadge(live.nodes.get("a"), 0, "ascii")).toBe("<< undone");
  });

  it("says a queued node waits for a place under its concurrency, until it runs", () => {
    const live = liveRun({ status: "running" }, { a: { status: "running", attempt: 1 } });
    applyEvents(live, [ev(10, "a", "queued", { waiting: "limit" })]);
    expect(nodeBadge(live.nodes.get("a"), 0, "unicode")).toMatch(/ waiting \(limit\)$/);
    applyEvents(live, [ev(20, "a", "queued")]);
    expect(nodeBadge(live.nodes.get("a"), 0, "unicode")).not.toContain("limit");
    applyEvents(live, [ev(30, "a", "queued", { waiting: "limit" }), ev(40, "a", "running")]);
    expect(live.nodes.get("a")!.waitingFor).toBeUndefined();
  });

  it("sums the run up in one line", () => {
    const live = decisionRun();
    applyEvents(live, [ev(1000, "", "run:running"), ev(1000, "check", "running")]);
    expect(summaryText(live, 3500)).toBe("RUNNING 2.5s · 1 running · 3 pending");
  });
});

describe("the runs list's rows", () => {
  const row = toRunRow("01ABC", [
    "etl",
    "3",
    "running",
    "1000",
    "1100",
    "",
    "ada",
    "50",
    "30",
    "2",
    "5",
    "0",
    "",
  ]) as RunRow;

  it("reads a run's fields, counting finished nodes", () => {
    expect(row).toMatchObject({ workflow: "etl", version: 3, total: 50, done: 37, failed: 2 });
    expect(row.finished).toBeUndefined();
  });

  it("filters by status, workflow and text", () => {
    expect(matchesRun(row, { status: "running", text: "ETL@3" })).toBe(true);
    expect(matchesRun(row, { text: "ada" })).toBe(true);
    expect(matchesRun(row, { status: "failed" })).toBe(false);
    expect(matchesRun(row, { workflow: "other" })).toBe(false);
  });

  it("formats durations", () => {
    expect([450, 1234, 64_000, 7_500_000].map(formatDuration)).toEqual([
      "450ms",
      "1.2s",
      "1m04s",
      "2h05m",
    ]);
  });
});
