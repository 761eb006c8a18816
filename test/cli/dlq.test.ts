import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliOnRedis } from "../support/cli.js";

const { ctx, weft, write } = cliOnRedis("dlq");

describe("dead letters", () => {
  it("keeps a node that spent its retries with its last error; requeued, it succeeds and leaves the list", async () => {
    const flag = join(ctx.dir, "card-ok");
    write(
      "pay.yaml",
      [
        "name: pay",
        "parameters: { flag: { type: string } }",
        "nodes:",
        "  - id: charge",
        "    kind: task",
        "    handler: shell",
        `    with: { command: [sh, -c, 'test -e "$1" || { echo "card declined" >&2; exit 4; }', x, "\${params.flag}"] }`,
        "    retries: { max: 1, initial: 10ms }",
        "",
      ].join("\n"),
    );
    expect((await weft("import", "pay.yaml")).code).toBe(0);
    expect((await weft("dlq", "ls")).stdout).toBe("no dead letters: no node has failed for good\n");
    const run = await weft("run", "pay", "-p", `flag=${flag}`, "--wait");
    expect(run.code).toBe(1);
    const id = run.stderr.match(/run ([0-9A-Z]{26})/)![1]!;

    const ls = (await weft("dlq", "ls")).stdout;
    expect(ls).toMatch(
      new RegExp(`^${id}\\s+charge\\s+pay@1\\s+2\\s+\\S+\\s+exited with code 4 \\[4\\]$`, "m"),
    );
    const shown = await weft("dlq", "show", id, "charge", "--format", "json");
    expect(JSON.parse(shown.stdout)).toMatchObject({ run: id, node: "charge", attempts: 2 });
    expect((await weft("dlq", "show", id, "nope")).stderr).toContain(
      "no dead letter for node nope",
    );

    writeFileSync(flag, "");
    expect(existsSync(flag)).toBe(true);
    const again = await weft("dlq", "requeue", id, "charge", "--wait");
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/run succeeded\n$/);
    expect((await weft("dlq", "ls")).stdout).toContain("no dead letters");
  });

  it("purges one run's letters, or all with --all", async () => {
    write("boom.yaml", "name: boom\nnodes:\n  - { id: a, kind: task, handler: fail }\n");
    await weft("import", "boom.yaml");
    const first = (await weft("run", "boom", "--wait")).stderr.match(/run ([0-9A-Z]{26})/)![1]!;
    await weft("run", "boom", "--wait");
    expect(JSON.parse((await weft("dlq", "ls", "--format", "json")).stdout)).toHaveLength(2);
    expect((await weft("dlq", "purge")).stderr).toContain("--all");
    expect((await weft("dlq", "purge", first)).stdout).toBe("purged 1 dead letter\n");
    expect((await weft("dlq", "purge", "--all")).stdout).toBe("purged 1 dead letter\n");
    expect((await weft("dlq", "ls")).stdout).toContain("no dead letters");
    // Each purge is in the audit, with the run and what went; one that dropped nothing is not.
    expect((await weft("dlq", "purge", "--all")).stdout).toBe("purged 0 dead letters\n");
    const purges = (
      JSON.parse((await weft("audit", "--format", "json")).stdout) as {
        action: string;
        run?: string;
        message?: string;
      }[]
    ).filter((e) => e.action === "dlq-purge");
    expect(purges.map((e) => [e.run, e.message])).toEqual([
      [first, "1 dead letter"],
      [undefined, "1 dead letter"],
    ]);
  });
});
