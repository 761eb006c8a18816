/**
 * End to end: the real binary in tmux at 80x24 (`CI` unset so Ink draws live). Start a run from
 * the designer's form and watch it; cancel it while its shell node sleeps (typed confirmation),
 * retry it to success; then open a failed run's node with its error and log in `weft monitor`.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isAlive } from "../../src/store/embedded.js";
import { cliOnRedis } from "../support/cli.js";
import { hasTmux, type TmuxWeft, tmuxWeft } from "../support/tmux.js";

const { ctx, weft, write } = cliOnRedis("e2em");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let term: TmuxWeft | undefined;
afterEach(() => {
  term?.kill();
  term = undefined;
});

describe.skipIf(!hasTmux)("runs in tmux at 80x24", () => {
  it("starts a run from the form, cancels it while a shell node sleeps, and retries it", async () => {
    const pidFile = join(ctx.dir, "nap.pid");
    write(
      "nap.yaml",
      `name: nap
parameters:
  seconds: {type: integer, default: 30}
nodes:
  - id: nap
    kind: task
    handler: shell
    with:
      shell: true
      command: "test -e ${pidFile}.again && exit 0; echo $$ > ${pidFile}; sleep \${params.seconds} & wait"
  - {id: report, kind: task, handler: noop}
edges:
  - {from: nap, to: report}
`,
    );
    expect((await weft("import", join(ctx.dir, "nap.yaml"))).code).toBe(0);
    term = tmuxWeft(["design", "nap"], ctx.env);
    const { until, keys, type } = term;
    await until("Nodes 2 · Edges 1 · v1");
    await keys("r");
    const form = await until("Start a run of nap@1");
    expect(form).toContain("seconds");
    for (const line of form.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    await keys("F5");
    await until("Run ");
    await until(/RUNNING/);
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) await sleep(50);
    const pid = Number(readFileSync(pidFile, "utf8"));
    expect(isAlive(pid)).toBe(true);
    const [run] = JSON.parse((await weft("runs", "--format", "json")).stdout) as { id: string }[];
    const id = run!.id;

    await keys("X");
    await until("to cancel it");
    type(id.slice(-4));
    await keys("Enter");
    await until("Reason (optional)");
    type("from tmux");
    await keys("Enter");
    await until("CANCELLED");
    for (let i = 0; i < 40 && isAlive(pid); i++) await sleep(50);
    expect(isAlive(pid)).toBe(false);
    const status = JSON.parse((await weft("status", id, "--format", "json")).stdout) as {
      fields: Record<string, string>;
      nodes: Record<string, { status: string }>;
    };
    expect(status.fields).toMatchObject({ status: "cancelled", reason: "from tmux" });
    expect(status.nodes.nap?.status).toBe("cancelled");
    expect((await weft("audit")).stdout).toMatch(/cancel/);

    writeFileSync(`${pidFile}.again`, "");
    await keys("a");
    await until("Retry:");
    await keys("Enter");
    await until("attempt 2");
    await until("SUCCEEDED");
    const after = JSON.parse((await weft("status", id, "--format", "json")).stdout) as {
      fields: Record<string, string>;
    };
    expect(after.fields.status).toBe("succeeded");
  });

  it("opens a failed run's node with its error and log in weft monitor", async () => {
    write(
      "broken.yaml",
      `name: broken
nodes:
  - id: load
    kind: task
    handler: shell
    with: {shell: true, command: "echo reading rows; echo disk is full >&2; exit 4"}
`,
    );
    expect((await weft("import", join(ctx.dir, "broken.yaml"))).code).toBe(0);
    const ran = await weft("run", "broken", "--wait");
    expect(ran.code).toBe(1);
    const [run] = JSON.parse((await weft("runs", "--format", "json")).stdout) as { id: string }[];
    term = tmuxWeft(["monitor"], ctx.env);
    const { until, keys } = term;
    await until(run!.id);
    await keys("Enter");
    await until("FAILED");
    await keys("Enter");
    const details = await until("reading rows");
    expect(details).toContain("load · task · failed");
    expect(details).toMatch(/code 4/);
    expect(details).toContain("disk is full");
    for (const line of details.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    await keys("Escape");
    await keys("Escape");
    await until("Runs · page 1");
  });
});
