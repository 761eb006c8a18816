/** The run model alone, with plain values: states, final states, transitions, the entry decoder. */
import { describe, expect, it } from "vitest";
import {
  canTransition,
  EVENT_STATUSES,
  entryEvents,
  FINAL_NODE,
  FINAL_RUN,
  isRunLevel,
  NODE_STATES,
  NODE_TRANSITIONS,
  RUN_STATES,
  RUN_TRANSITIONS,
  runEventKind,
} from "../../src/model/run-model.js";

describe("the run model", () => {
  it("knows today's node states and `waiting`, and which states are final", () => {
    expect(NODE_STATES).toContain("waiting");
    for (const s of FINAL_NODE) expect(NODE_STATES).toContain(s);
    for (const s of FINAL_RUN) expect(RUN_STATES).toContain(s);
    expect(FINAL_NODE.has("running")).toBe(false);
    expect(FINAL_RUN.has("queued")).toBe(false);
  });

  it("has a row per state, moving only to states it knows", () => {
    expect(Object.keys(NODE_TRANSITIONS).sort()).toEqual([...NODE_STATES].sort());
    expect(Object.keys(RUN_TRANSITIONS).sort()).toEqual([...RUN_STATES].sort());
    for (const targets of Object.values(NODE_TRANSITIONS))
      for (const t of targets) expect(NODE_STATES).toContain(t);
    // A final node leaves only when its run is retried, or (a task that succeeded) is undone.
    for (const s of FINAL_NODE)
      expect(NODE_TRANSITIONS[s as "failed"]).toEqual(
        s === "succeeded" ? ["pending", "compensating"] : ["pending"],
      );
    expect(canTransition("compensating", "compensated")).toBe(true);
    expect(canTransition("running", "compensating", "run")).toBe(true);
    expect(canTransition("compensating", "compensated", "run")).toBe(true);
  });

  it("answers canTransition for nodes and runs", () => {
    expect(canTransition("queued", "running")).toBe(true);
    expect(canTransition("running", "waiting")).toBe(true);
    expect(canTransition("waiting", "succeeded")).toBe(true);
    expect(canTransition("succeeded", "running")).toBe(false);
    expect(canTransition("pending", "succeeded")).toBe(false);
    expect(canTransition("queued", "running", "run")).toBe(true);
    expect(canTransition("failed", "running", "run")).toBe(true);
    expect(canTransition("succeeded", "failed", "run")).toBe(false);
  });

  it("decodes a stream entry into typed events, each with the entry's time", () => {
    const events = entryEvents([
      "t",
      "1700",
      "node",
      "a",
      "status",
      "running",
      "attempt",
      "2",
      "worker",
      "w1",
      "node",
      "b",
      "status",
      "lease-expired",
      "node",
      "",
      "status",
      "run:failed",
    ]);
    expect(events).toEqual([
      { t: "1700", node: "a", status: "running", attempt: "2", worker: "w1" },
      { t: "1700", node: "b", status: "lease-expired" },
      { t: "1700", node: "", status: "run:failed" },
    ]);
    const run = events[2]!;
    expect(isRunLevel(run) && runEventKind(run)).toBe("failed");
    expect(isRunLevel(events[0]!)).toBe(false);
  });

  it("leaves out a change whose status it does not know", () => {
    expect(
      entryEvents(["t", "1", "node", "a", "status", "teleported", "node", "b", "status", "queued"]),
    ).toEqual([{ t: "1", node: "b", status: "queued" }]);
  });

  it("lists every event status: node states, notices and run kinds", () => {
    for (const s of [...NODE_STATES, "released", "lease-expired", "run:retrying", "run:queued"])
      expect(EVENT_STATUSES).toContain(s);
  });
});
