/**
 * The runs list's reducer alone: keys and pages read in, state (and so what is read next) and
 * effects out.
 */
import { describe, expect, it } from "vitest";
import type { RunRow } from "../../src/app/runs/run-list.js";
import {
  initialRunsState,
  pageQuery,
  type RunsAction,
  type RunsState,
  reduceRuns,
} from "../../src/app/runs/runs-screen.js";
import type { Command } from "../../src/config/index.js";
import { replay } from "../support/reduce.js";

const rows = (...ids: string[]) => ids.map((id) => ({ id }) as RunRow);

function play(
  state: RunsState,
  workflow: string | undefined,
  ...actions: (RunsAction | Command)[]
) {
  return replay(reduceRuns, state, { workflow }, actions);
}

describe("the runs list's reducer", () => {
  it("pages forward on the next start the page gave, and back along the starts seen", () => {
    const first = play(initialRunsState(), undefined, {
      type: "read",
      page: { rows: rows("a", "b"), next: 2 },
    });
    const second = play(first.state, undefined, "pageDown");
    expect(pageQuery(second.state).from).toBe(2);
    const last = play(
      second.state,
      undefined,
      { type: "read", page: { rows: rows("c") } },
      "pageDown",
    );
    expect(pageQuery(last.state).from).toBe(2);
    expect(pageQuery(play(last.state, undefined, "pageUp").state).from).toBe(0);
  });

  it("opens the run under the cursor", () => {
    const { effects } = play(
      initialRunsState(),
      undefined,
      { type: "read", page: { rows: rows("a", "b") } },
      "moveDown",
      "moveDown",
      "inspect",
    );
    expect(effects).toEqual([{ type: "open", id: "b" }]);
  });

  it("turns the status filter and the text filter, each from the first page; Esc clears them, then leaves", () => {
    const filtered = play(
      initialRunsState("etl"),
      "etl",
      { type: "read", page: { rows: rows("a"), next: 1 } },
      "pageDown",
      "filterStatus",
      "find",
      { type: "submitFilter", text: "  ada " },
    );
    expect(filtered.state.filter).toEqual({ workflow: "etl", status: "running", text: "ada" });
    expect(pageQuery(filtered.state).from).toBe(0);
    // While the prompt is open, keys are the prompt's.
    expect(play(filtered.state, "etl", "find", "back").effects).toEqual([]);
    const cleared = play(filtered.state, "etl", "back");
    expect(cleared.state.filter).toEqual({ workflow: "etl" });
    expect(cleared.effects).toEqual([]);
    expect(play(cleared.state, "etl", "back").effects).toEqual([{ type: "back" }]);
  });

  it("keeps what the last read said went wrong until a read works", () => {
    const failed = play(initialRunsState(), undefined, {
      type: "readFailed",
      message: "Redis is away",
    });
    expect(failed.state.error).toBe("Redis is away");
    expect(
      play(failed.state, undefined, { type: "read", page: { rows: [] } }).state.error,
    ).toBeUndefined();
  });
});
