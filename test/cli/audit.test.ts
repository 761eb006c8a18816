import { describe, expect, it } from "vitest";
import { escapeControl } from "../../src/spec/escape.js";
import { cliOnRedis } from "../support/cli.js";

const { ctx, weft, write } = cliOnRedis("au");

const waiting = `name: hold
nodes:
  - { id: pause, kind: delay, duration: 1h }
`;

interface Row {
  action: string;
  who: string;
  run?: string;
  workflow?: string;
  version?: number;
}

const audit = async (...filters: string[]): Promise<Row[]> =>
  JSON.parse((await weft("audit", "--format", "json", ...filters)).stdout) as Row[];

describe("weft audit", () => {
  it("records a run's start and its cancel with the run, the workflow and the version", async () => {
    write("hold.yaml", waiting);
    await weft("import", "hold.yaml");
    const first = (await weft("run", "hold")).stdout.trim();
    const second = (await weft("run", "hold")).stdout.trim();
    expect((await weft("cancel", first)).code).toBe(0);

    const rows = await audit("--run", first);
    expect(rows.map((r) => r.action)).toEqual(["run", "cancel"]);
    for (const row of rows)
      expect(row).toMatchObject({ run: first, workflow: "hold", version: 1, who: "ada" });
    expect((await audit("--run", second)).map((r) => r.action)).toEqual(["run"]);
    expect((await audit("--workflow", "hold")).map((r) => r.action)).toEqual([
      "import",
      "run",
      "run",
      "cancel",
    ]);
    expect(await audit("--workflow", "other")).toEqual([]);
    expect(await audit("--workflow", "hold", "--limit", "2")).toHaveLength(2);

    const table = (await weft("audit", "--run", first)).stdout.split("\n");
    expect(table[0]).toMatch(/ RUN +MESSAGE$/);
    expect(table[1]).toContain(first);
  });

  it("records who retried a run and which run", async () => {
    write("fails.yaml", "name: fails\nnodes:\n  - { id: boom, kind: task, handler: fail }\n");
    await weft("import", "fails.yaml");
    const id = (await weft("run", "fails", "--wait")).stderr.match(/run ([0-9A-Z]{26})/)![1]!;
    expect((await weft("retry", id)).code).toBe(0);
    expect((await audit("--run", id)).map((r) => r.action)).toEqual(["run", "retry"]);
  });

  it("shows a name with a newline or a terminal escape escaped: it cannot forge a row", async () => {
    ctx.env.WEFT_USER = "mallory\n2026-01-01 00:00  root  prod  delete  billing\x1b[2J";
    write("hold.yaml", waiting);
    await weft("import", "hold.yaml");
    const out = (await weft("audit")).stdout;
    expect(out.trimEnd().split("\n")).toHaveLength(2);
    expect(out).toContain("mallory\\n2026-01-01 00:00  root");
    expect(out).toContain("billing\\x1b[2J");
    expect(out).not.toContain("\x1b");
    // JSON keeps the stored value exactly; JSON's own escaping makes it safe to print.
    expect((await audit())[0]!.who).toBe(ctx.env.WEFT_USER);
  });
});

describe("escapeControl", () => {
  it("escapes C0, DEL and C1 characters and leaves other text alone", () => {
    expect(escapeControl("a\tb\rc\u0000d\u007fe\u009bf ü ✓")).toBe(
      "a\\tb\\rc\\x00d\\x7fe\\x9bf ü ✓",
    );
  });
});
