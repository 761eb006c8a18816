/** Every node state of the run model has a colour in every theme and a mark on the monitor. */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ThemeSchema } from "../../src/config/index.js";
import { NODE_STATES } from "../../src/model/run-model.js";
import {
  MARKS,
  nodeBadge,
  nodeToken,
  SUMMARY_ORDER,
} from "../../src/tui/screens/monitor/monitor-view.js";

const themes = resolve(import.meta.dirname, "../../themes");

describe("node states on screen", () => {
  it("has a theme token for each node state, in every theme", () => {
    for (const file of readdirSync(themes).filter((f) => f.endsWith(".json"))) {
      const theme = ThemeSchema.parse(JSON.parse(readFileSync(join(themes, file), "utf8")));
      for (const state of NODE_STATES) {
        expect(nodeToken({ status: state, attempt: 1 })).toBe(`status.${state}`);
        expect(Object.hasOwn(theme.status, state), `${file}: status.${state}`).toBe(true);
      }
    }
  });

  it("has a glyph and a word for each node state (pending shows none, running a spinner)", () => {
    for (const state of NODE_STATES) {
      if (state === "pending") continue;
      if (state !== "running") {
        const mark = MARKS[state];
        expect(mark, state).toBeDefined();
        expect(mark.unicode && mark.ascii && mark.long && mark.short).toBeTruthy();
      }
      for (const glyphs of ["unicode", "ascii"] as const) {
        const badge = nodeBadge({ status: state, attempt: 1, start: 0 }, 1_000, glyphs);
        expect(badge, `${state} (${glyphs})`).toBeDefined();
        expect(badge).not.toBe(state);
      }
    }
    expect([...SUMMARY_ORDER].sort()).toEqual([...NODE_STATES].sort());
  });
});
