import { describe, expect, it } from "vitest";
import { detailLines } from "../../src/tui/screens/monitor/monitor-view.js";

describe("the monitor's node details", () => {
  it("say when the output was cut at its cap (problem 6)", () => {
    const lines = detailLines(
      {
        node: "flood",
        history: [],
        attempts: [],
        output: "xxx",
        hasOutput: true,
        log: "xxx\n[weft] stdout cut at 2000 bytes (limits.maxStdout): the rest was dropped\n",
        note: "stdout cut at 2000 bytes (limits.maxStdout)",
      },
      { id: "flood", kind: "task" },
      undefined,
      0,
      false,
    );
    expect(lines).toContain("Output (stdout cut at 2000 bytes (limits.maxStdout))");
  });
});
