import { describe, expect, it } from "vitest";
import { cliOnRedis } from "../support/cli.js";

const { weft, write } = cliOnRedis("trunc");

describe("a cut output is visible (problem 6)", () => {
  it("says so in weft status, weft logs and the status JSON", async () => {
    write(
      "big.yaml",
      [
        "name: big",
        "limits: { maxStdout: 2000 }",
        "nodes:",
        "  - id: flood",
        "    kind: task",
        "    handler: shell",
        "    with: { shell: true, command: \"head -c 10000 /dev/zero | tr '\\\\0' x\" }",
        "",
      ].join("\n"),
    );
    expect((await weft("import", "big.yaml")).code).toBe(0);
    const run = await weft("run", "big", "--wait");
    expect(run.code).toBe(0);
    const id = /run ([0-9A-Z]{26})/.exec(run.stderr)![1]!;
    const status = await weft("status", id);
    expect(status.stdout).toMatch(/flood .*stdout cut at 2000 bytes \(limits\.maxStdout\)/);
    const json = JSON.parse((await weft("status", id, "--format", "json")).stdout);
    expect(json.nodes.flood.note).toBe("stdout cut at 2000 bytes (limits.maxStdout)");
    const logs = await weft("logs", id, "flood");
    expect(logs.stdout).toContain("[weft] stdout cut at 2000 bytes");
    expect(logs.stderr).toContain("weft: flood: stdout cut at 2000 bytes");
  });
});
