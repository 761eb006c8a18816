/**
 * The monitor's reducer alone: commands and prompt answers in, the next state and the effects
 * out, with no screen, timer or Redis. The ink and tmux tests drive the same reducer through
 * the real app.
 */
import { describe, expect, it } from "vitest";
import { reduceMonitor } from "../../src/app/monitor/screen.js";
import {
  initialMonitorState,
  type MonitorAction,
  type MonitorEnv,
  monitorContext,
} from "../../src/app/monitor/state.js";
import { liveRun } from "../../src/app/runs/run-state.js";
import type { Command } from "../../src/config/index.js";
import type { CellGeometry } from "../../src/layout/index.js";
import { type Workflow, WorkflowSchema } from "../../src/spec/index.js";
import { replay } from "../support/reduce.js";

const workflow: Workflow = WorkflowSchema.parse({
  name: "saga",
  nodes: [
    { id: "undo_book", kind: "compensation", handler: "noop" },
    { id: "book", kind: "task", handler: "noop", compensation: "undo_book" },
    { id: "pay", kind: "task", handler: "noop" },
    { id: "child", kind: "subworkflow", workflow: "other" },
  ],
  edges: [
    { from: "book", to: "pay" },
    { from: "pay", to: "child" },
  ],
});

const box = (id: string, y: number) => ({
  id,
  kind: "task",
  label: id,
  x: 0,
  y,
  width: 10,
  height: 3,
});
const geometry: CellGeometry = {
  width: 20,
  height: 100,
  options: { direction: "down", density: "full" },
  boxes: [box("undo_book", 0), box("book", 20), box("pay", 40), box("child", 80)],
  edges: [],
};

function world(more: Partial<MonitorEnv> = {}): MonitorEnv {
  return {
    id: "01JD3K2M8QABCD",
    workflow,
    nodesById: new Map(workflow.nodes.map((n) => [n.id, n])),
    geometry,
    viewport: { width: 20, height: 10 },
    live: liveRun({ status: "running" }, { book: { status: "succeeded" } }),
    running: true,
    unserved: [],
    detailsBeside: false,
    detailsVisible: 5,
    detailLineCount: 40,
    refusal: () => undefined,
    keyOf: (command) => ({ back: "Esc", inspect: "Enter" })[command as string] ?? command,
    ...more,
  };
}

/** Each action in turn; the effects of all of them. */
function play(env: MonitorEnv, ...actions: (MonitorAction | Command)[]) {
  return replay(reduceMonitor, initialMonitorState(), env, actions);
}

describe("the monitor's reducer", () => {
  it("selects the first node of the flow, not a compensation, and scrolls it into view", () => {
    const { state } = play(world(), { type: "opened" }, { type: "placed" });
    expect(state.selected).toBe("book");
    expect(state.view.y).toBeGreaterThan(0);
    // Once the operator moved, arriving positions leave the view alone.
    const moved = play(world(), { type: "opened" }, "moveDown", { type: "placed" });
    expect(moved.state.selected).toBe("pay");
    expect(moved.state.moved).toBe(true);
  });

  it("counts a key that comes before the first selection is drawn from the first node", () => {
    // Under load a key can beat the screen's "opened": it still moves from where the screen starts.
    expect(play(world(), "nextNode").state.selected).toBe("pay");
  });

  it("closes one thing per Esc: the details with their message, then the screen", () => {
    const env = world();
    const open = play(env, { type: "opened" }, "inspect", "follow", "moveDown");
    expect(open.state.mode).toMatchObject({ type: "details", node: "book", scroll: 1 });
    expect(monitorContext(open.state)).toBe("details");
    const closed = reduceMonitor(
      { ...open.state, message: { error: false, text: "x" } },
      { type: "command", command: "back" },
      env,
    );
    expect(closed.state.mode.type).toBe("none");
    expect(closed.state.message).toBeUndefined();
    expect(closed.effects).toEqual([]);
    expect(reduceMonitor(closed.state, { type: "command", command: "back" }, env).effects).toEqual([
      { type: "back" },
    ]);
  });

  it("scrolls the details within their lines, and following keeps the end in view", () => {
    const env = world();
    const far = play(
      env,
      { type: "opened" },
      "inspect",
      "pageDown",
      "pageDown",
      "pageDown",
      "pageDown",
      "pageDown",
      "pageDown",
      "pageDown",
      "pageDown",
      "pageDown",
    );
    expect(far.state.mode).toMatchObject({ scroll: 35 });
    const followed = play(env, { type: "opened" }, "inspect", "follow", { type: "followed" });
    expect(followed.state.mode).toMatchObject({ follow: true, scroll: 35 });
  });

  it("cancels a saga's run after the code, the reason and the undo choice", () => {
    const env = world();
    const typo = play(env, "cancelRun", { type: "cancelCode", text: "abcx" });
    expect(typo.state.message).toEqual({ error: true, text: "type ABCD to cancel, or Esc" });
    expect(typo.state.mode).toMatchObject({ type: "cancel", step: "code" });
    const { state, effects } = play(
      env,
      "cancelRun",
      { type: "cancelCode", text: "abcd!" },
      { type: "cancelReason", text: " wrong input " },
      "nextNode",
      "submit",
    );
    expect(state.mode).toEqual({ type: "busy", text: "cancelling and undoing…" });
    expect(effects).toEqual([
      { type: "cancel", reason: "wrong input", now: true, compensate: true },
    ]);
    const settled = reduceMonitor(state, { type: "settled", text: "cancelled", error: false }, env);
    expect(settled.state.mode.type).toBe("none");
    expect(settled.state.message).toEqual({ error: false, text: "cancelled" });
  });

  it("cancels at once while the run undoes, without asking about undoing again", () => {
    const env = world({ live: liveRun({ status: "compensating" }, {}) });
    const { effects } = play(
      env,
      "cancelRun",
      { type: "cancelCode", text: "ABCD" },
      { type: "cancelReason", text: "" },
    );
    expect(effects).toEqual([{ type: "cancel", reason: "", now: false, compensate: false }]);
  });

  it("refuses what the run's state or the role does not allow, with the reason", () => {
    const env = world({ refusal: (a) => (a === "retry" ? "the run is still running" : undefined) });
    const { state, effects } = play(env, "retryRun");
    expect(state.message).toEqual({ error: true, text: "cannot retry: the run is still running" });
    expect(state.mode.type).toBe("none");
    expect(effects).toEqual([]);
    expect(play(env, "run").state.message?.text).toMatch(/does not need driving/);
  });

  it("retries from the selected node, stepping back and forth through the choices", () => {
    const env = world();
    const { state, effects } = play(
      env,
      { type: "opened" },
      "retryRun",
      "nextNode",
      "nextNode",
      "previousNode",
      "submit",
    );
    expect(state.mode).toEqual({ type: "busy", text: "retrying…" });
    expect(effects).toEqual([{ type: "retry", options: { from: "book" } }]);
  });

  it("opens help over a question and keeps the question; drives a run no worker serves", () => {
    const env = world({ unserved: ["by-hand"] });
    const asked = play(env, "retryRun", "help");
    expect(asked.effects).toEqual([{ type: "help" }]);
    expect(asked.state.mode).toEqual({ type: "retry", cursor: 0 });
    expect(play(env, "run").effects).toEqual([{ type: "drive" }]);
  });

  it("opens a sub-workflow's run only once it started, and says why not", () => {
    const select = (id: string) => ({ ...initialMonitorState(), selected: id });
    const notYet = reduceMonitor(
      select("child"),
      { type: "command", command: "openChild" },
      world(),
    );
    expect(notYet.state.message?.text).toBe("child has not started a run yet");
    const started = world({
      live: liveRun({ status: "running" }, { child: { status: "running", attempt: 2 } }),
    });
    expect(
      reduceMonitor(select("child"), { type: "command", command: "openChild" }, started).effects,
    ).toEqual([{ type: "openRun", id: "01JD3K2M8QABCD.child.2" }]);
    expect(
      reduceMonitor(select("pay"), { type: "command", command: "openChild" }, started).state.message
        ?.text,
    ).toBe("select a sub-workflow node to open its run");
  });

  it("finds a node by what was typed and centres it", () => {
    const { state } = play(world(), "find", { type: "findNode", text: "pay" });
    expect(state.mode.type).toBe("none");
    expect(state.selected).toBe("pay");
  });
});
