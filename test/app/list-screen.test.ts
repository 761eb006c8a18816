/**
 * The workflow list's reducer alone: keys and the store's answers in, state and effects out.
 */
import { describe, expect, it } from "vitest";
import {
  initialListState,
  type ListAction,
  type ListState,
  reduceList,
  shownRows,
} from "../../src/app/designer/list-screen.js";
import type { WorkflowRow } from "../../src/app/designer/session.js";
import type { Command } from "../../src/config/index.js";
import { replay } from "../support/reduce.js";

const row = (name: string, description = ""): WorkflowRow =>
  ({ name, description, message: "", calls: [], version: 1, nodes: 2 }) as unknown as WorkflowRow;
const ROWS = [row("daily-etl", "nightly load"), row("data-pipeline"), row("quarterly")];

function play(state: ListState, ...actions: (ListAction | Command | { typed: string })[]) {
  const typed = (a: ListAction | Command | { typed: string }) =>
    typeof a === "object" && "typed" in a
      ? { type: "command" as const, command: undefined, typed: a.typed }
      : a;
  return replay(reduceList, state, { pageSize: 10 }, actions.map(typed));
}

const listed = () => play(initialListState(), { type: "opened" }, { type: "listed", rows: ROWS });

describe("the workflow list's reducer", () => {
  it("reads the list when it opens", () => {
    expect(listed().effects).toEqual([{ type: "reload" }]);
    expect(listed().state.rows).toHaveLength(3);
  });

  it("filters on letters, q and ? included, and Esc clears the filter before it quits", () => {
    const typed = play(listed().state, { typed: "q" });
    expect(shownRows(typed.state).map((r) => r.name)).toEqual(["quarterly"]);
    expect(typed.effects).toEqual([]);
    const cleared = play(typed.state, "back");
    expect(cleared.state.filter).toBe("");
    expect(cleared.effects).toEqual([]);
    expect(play(cleared.state, "back").effects).toEqual([{ type: "quit" }]);
    expect(play(typed.state, "clearLine").state.filter).toBe("");
  });

  it("opens, runs and deletes the selected row; delete asks, and any other key keeps it", () => {
    const down = play(listed().state, "moveDown");
    expect(play(down.state, "inspect").effects).toEqual([{ type: "open", name: "data-pipeline" }]);
    expect(play(down.state, "run").effects).toEqual([{ type: "run", name: "data-pipeline" }]);
    const asked = play(down.state, "deleteWorkflow");
    expect(asked.state.mode).toEqual({ type: "delete", name: "data-pipeline" });
    const kept = play(asked.state, "moveDown");
    expect(kept.effects).toEqual([]);
    expect(kept.state.message?.text).toBe("not deleted");
    const gone = play(asked.state, "yes", { type: "deleted", name: "data-pipeline" });
    expect(gone.effects).toEqual([{ type: "remove", name: "data-pipeline" }, { type: "reload" }]);
    expect(gone.state.message?.text).toBe("deleted data-pipeline (its versions are kept)");
  });

  it("reports an import's first error with its line and column and reads the list after one", () => {
    const prompt = play(listed().state, "importFile");
    expect(prompt.state.mode.type).toBe("import");
    // Keys go to the prompt while it is open.
    expect(play(prompt.state, "quit").effects).toEqual([]);
    const asked = play(prompt.state, { type: "submitImport", path: "bad.yaml" });
    expect(asked.effects).toEqual([{ type: "import", path: "bad.yaml" }]);
    const refused = play(asked.state, {
      type: "imported",
      path: "bad.yaml",
      outcome: {
        ok: false,
        findings: [
          { severity: "error", code: "E_X", message: "bad key", line: 3, col: 5, path: "" },
          { severity: "error", code: "E_Y", message: "and more", path: "" },
        ],
      } as never,
    });
    expect(refused.state.message).toEqual({
      error: true,
      text: "bad.yaml: not imported: line 3:5 bad key (+1 more; `weft validate bad.yaml` lists all)",
    });
    expect(refused.effects).toEqual([]);
  });

  it("keeps the cursor within the rows shown", () => {
    const { state } = play(listed().state, "pageDown", "moveDown");
    expect(state.cursor).toBe(2);
    expect(play(state, "pageUp").state.cursor).toBe(0);
  });
});
