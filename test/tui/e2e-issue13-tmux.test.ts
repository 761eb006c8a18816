/**
 * Issue 13's numbered problems, each replayed on the real binary in a real terminal (tmux, `CI`
 * unset so Ink draws live) at 80x24 and at 200x50, with the store read back through the CLI.
 * Problem 7 (a hang-up right after an edit) and the `--ascii` part of problem 11 are in
 * e2e-tmux.test.ts.
 */
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DraftStore, storeKeys } from "../../src/store/index.js";
import { cliOnRedis } from "../support/cli.js";
import { hasTmux, type TmuxWeft, tmuxWeft } from "../support/tmux.js";

const root = resolve(import.meta.dirname, "../..");
const { ctx, weft, write } = cliOnRedis("e2e13");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The screen as one line: what a prompt says however it wraps. */
const flat = (screen: string) => screen.replace(/\s+/g, " ");

let term: TmuxWeft | undefined;
afterEach(() => {
  term?.kill();
  term = undefined;
});

const drafts = () => new DraftStore(ctx.server.redis, storeKeys(ctx.env.WEFT_PREFIX), "ada");

async function until<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function statusOf(id: string): Promise<{
  fields: Record<string, string>;
  nodes: Record<string, { status: string }>;
}> {
  return JSON.parse((await weft("status", id, "--format", "json")).stdout);
}

/** Imports `held`: one task, `nap`, run by `handler` on a queue no worker serves. */
async function importHeld(handler: string): Promise<void> {
  write(
    "held.yaml",
    `name: held\ndefaults: {queue: by-hand}\nnodes:\n  - {id: nap, kind: task, handler: ${handler}}\n`,
  );
  expect((await weft("import", join(ctx.dir, "held.yaml"))).code).toBe(0);
}

const sizes = [
  { columns: 80, rows: 24 },
  { columns: 200, rows: 50 },
];

describe.skipIf(!hasTmux).each(sizes)("issue 13 in tmux at $columns x $rows", (size) => {
  /** The data-pipeline example, imported and open in the designer. */
  async function pipeline(): Promise<TmuxWeft> {
    expect((await weft("import", resolve(root, "examples/data-pipeline.yaml"))).code).toBe(0);
    term = tmuxWeft(["design", "data-pipeline"], ctx.env, size);
    await term.until("Nodes 7 · Edges 7 · v1");
    return term;
  }

  /** Adds a task and waits until its draft is in the store. */
  async function editAndWaitForDraft(t: TmuxWeft): Promise<void> {
    await t.keys("n", "t");
    await t.until("Nodes 8 · Edges 8 · v1 (unsaved)");
    await until(async () => (await drafts().get("data-pipeline")) ?? undefined, "the draft");
  }

  it("problem 1: Esc and a stray key on the draft prompt keep the draft, d discards it, every choice shown", async () => {
    const t = await pipeline();
    await editAndWaitForDraft(t);
    t.kill();
    for (const key of ["Escape", "x"]) {
      term = tmuxWeft(["design", "data-pipeline"], ctx.env, size);
      const asked = flat(await term.until("You have unsaved changes to data-pipeline"));
      expect(asked).toMatch(/by ada on \S+, \d+ s ago .*: 1 node added, 1 edge added\./);
      expect(asked).toContain(
        "y restores them · d discards them · Esc (or any other key) keeps them for later",
      );
      await term.keys(key);
      await term.until("draft kept");
      term.kill();
      expect(await drafts().get("data-pipeline")).toBeDefined();
    }
    term = tmuxWeft(["design", "data-pipeline"], ctx.env, size);
    await term.until("You have unsaved changes to data-pipeline");
    await term.keys("d");
    await term.until("draft discarded");
    await until(async () => ((await drafts().get("data-pipeline")) ? undefined : true), "no draft");
  });

  it("problem 2: a refused rename stays open with its reason and text, and later letters edit it", async () => {
    const t = await pipeline();
    await t.keys("R");
    await t.until("Rename fetch_data to");
    for (let i = 0; i < "fetch_data".length; i++) await t.keys("BSpace");
    t.type("notify");
    await t.until("`notify` is the id of another node");
    await t.keys("Enter");
    t.type(" bad id!");
    const shown = await t.until("Rename fetch_data to: notify bad id!");
    expect(shown).toContain("is not a valid id");
    expect(shown).toContain("Nodes 7 · Edges 7 · v1");
    expect(shown).not.toContain("(unsaved)");
    await t.keys("Escape");
    await t.until((s) => !s.includes("Rename fetch_data"));
    expect(t.screen()).toContain("Nodes 7 · Edges 7 · v1");
  });

  it("problem 3: quitting while this terminal drives a run asks; Esc keeps driving, c cancels, h hands it back", async () => {
    await importHeld('shell, with: {command: [sleep, "30"]}');
    for (const answer of ["c", "h"]) {
      const id = (await weft("run", "held")).stdout.trim();
      term = tmuxWeft(["monitor", id], ctx.env, size);
      await term.until("no worker serves queue by-hand");
      await term.keys("r");
      await term.until(`driving run ${id} from this terminal`);
      await until(
        async () => ((await statusOf(id)).nodes.nap?.status === "running" ? true : undefined),
        "the node to run",
      );
      await term.keys("q");
      const asked = flat(await term.until(`This terminal drives run ${id}`));
      expect(asked).toContain("h hands it to workers and quits");
      expect(asked).toContain("c cancels and quits · Esc or any other key keeps driving");
      await term.keys("Escape");
      await term.until((s) => !s.includes("This terminal drives"));
      expect((await statusOf(id)).fields.status).toBe("running");
      await term.keys("q");
      await term.until(`This terminal drives run ${id}`);
      await term.keys(answer);
      const after = await until(async () => {
        const status = await statusOf(id);
        const node = status.nodes.nap?.status;
        return answer === "c"
          ? status.fields.status === "cancelled"
            ? status
            : undefined
          : node === "queued" || node === "ready"
            ? status
            : undefined;
      }, `the run after ${answer}`);
      if (answer === "h") expect(after.fields.status).toBe("running");
      term.kill();
    }
  });

  it("problem 4: w opens the workflow's properties with a node selected, and help names the key", async () => {
    const t = await pipeline();
    await t.keys("Enter");
    await t.until("Properties · Node fetch_data");
    // Esc and the next key apart: a lone ESC and a letter read together are alt+letter.
    await t.keys("Escape");
    await t.until("» Canvas");
    await t.keys("w");
    const shown = await t.until("workflow properties");
    expect(shown).toMatch(/parameters\s+\{"source"/);
    await t.keys("F1");
    await t.until("weft · help");
    t.type("workflow");
    await t.until("Workflow properties (parameters, defaults, limits)");
  });

  it("problem 5: the quit and leave questions and the footers show every choice and the way out", async () => {
    expect((await weft("import", resolve(root, "examples/data-pipeline.yaml"))).code).toBe(0);
    term = tmuxWeft(["design"], ctx.env, size);
    const list = await term.until("data-pipeline");
    expect(list).toMatch(/F1 Help/);
    expect(list).toMatch(/Esc Quit/);
    await term.keys("Enter");
    const canvas = await term.until("Nodes 7 · Edges 7 · v1");
    const footer = canvas.trimEnd().split("\n").at(-1);
    for (const entry of [/F1\S* Help/, /Enter Inspect/, /u\S* Undo/, /Esc Back/, /q\S* Quit/])
      expect(footer).toMatch(entry);
    await term.keys("n", "t");
    await term.until("(unsaved)");
    await term.keys("Escape");
    const leave = flat(await term.until("Back to the list?"));
    expect(leave).toContain("y leaves, any other key stays");
    await term.keys("x");
    await term.until((s) => !s.includes("Back to the list?"));
    await term.keys("q");
    const quit = flat(await term.until("Quit?"));
    expect(quit).toContain(
      "(kept as a draft, offered when you open it again). Quit? y quits, any other key stays",
    );
    await term.keys("y");
    await term.until((s) => !s.includes("Nodes 8"));
    term.kill();
    // The monitor's footer keeps Runs, Esc and q.
    await importHeld("noop");
    const id = (await weft("run", "held")).stdout.trim();
    term = tmuxWeft(["monitor", id], ctx.env, size);
    const monitor = await term.until(`Run ${id}`);
    const monitorFooter = monitor.trimEnd().split("\n").at(-1);
    for (const entry of [/F1\S* Help/, /F6\S* Runs/, /Esc Back/, /q\S* Quit/])
      expect(monitorFooter).toMatch(entry);
  });

  it("problem 6: undoing back to the saved version leaves no draft to offer", async () => {
    const t = await pipeline();
    await editAndWaitForDraft(t);
    await t.keys("u");
    await t.until((s) => s.includes("Nodes 7 · Edges 7 · v1") && !s.includes("(unsaved)"));
    await until(async () => ((await drafts().get("data-pipeline")) ? undefined : true), "no draft");
    await t.keys("q");
    await t.until((s) => !s.includes("Nodes 7"));
    term = tmuxWeft(["design", "data-pipeline"], ctx.env, size);
    await term.until("Nodes 7 · Edges 7 · v1");
    await sleep(300);
    expect(term.screen()).not.toContain("unsaved changes");
  });

  it("problem 8: Esc closes one thing per press on the list, the runs list and the monitor; q and ? are filter letters on the list", async () => {
    expect((await weft("import", resolve(root, "examples/data-pipeline.yaml"))).code).toBe(0);
    await importHeld("noop");
    const id = (await weft("run", "held")).stdout.trim();
    term = tmuxWeft(["design"], ctx.env, size);
    const list = await term.until("data-pipeline");
    const footer = list.trimEnd().split("\n").at(-1);
    expect(footer).toMatch(/F1\S* Help/);
    expect(footer).toMatch(/Esc Quit/);
    // q and ? are letters of the filter here, not commands.
    term.type("q?");
    await term.until("filter › q?");
    await term.until("Nothing matches “q?”");
    await term.keys("Escape");
    await term.until((s) => s.includes("data-pipeline") && !s.includes("filter › q"));

    // The runs list: Esc clears the filter, then leaves.
    await term.keys("F6");
    await term.until(id);
    await term.keys("/");
    await term.until("Filter runs");
    term.type("zzz");
    await term.keys("Enter");
    await term.until("No run matches. Esc clears the filter.");
    await term.keys("Escape");
    await term.until(id);

    // The monitor: a status message takes no press; Esc closes the details, then the screen.
    await term.keys("Enter");
    await term.until(`Run ${id}`);
    await term.keys("L");
    await term.until("open a node's details (Enter) to follow its log");
    await term.keys("Enter");
    await term.until(/Node nap/);
    await term.keys("Escape");
    await term.until((s) => s.includes(`Run ${id}`) && !/Node nap/.test(s));
    await term.keys("Escape");
    await term.until((s) => !s.includes(`Run ${id}`) && s.includes(id));
    await term.keys("Escape");
    await term.until("weft · workflows");
    await term.keys("Escape");
    await term.until((s) => !s.includes("weft · workflows"));
  });

  it("problem 9: a node added off-screen is scrolled into view with a message", async () => {
    const t = await pipeline();
    await t.keys("/");
    await t.until("Find node");
    t.type("notify");
    await t.keys("Enter", "n", "t");
    const shown = await t.until("added task-1");
    // At 80 columns the inspector is hidden: the message says how to see the new node's fields.
    if (size.columns < 100) expect(shown).toContain("Enter shows its properties");
    await t.until(/T task-1/);
  });

  it("problem 10: a CEL type error points at the operand at fault, not column 1", async () => {
    const t = await pipeline();
    await t.keys("/");
    await t.until("Find node");
    t.type("quality_check");
    await t.keys("Enter", "Enter");
    await t.until("Properties · Node quality_check");
    for (let i = 0; i < 10 && !/›condition/.test(t.screen()); i++) await t.keys("Down");
    await t.keys("Enter");
    await t.until("condition:");
    t.type(" && params.source");
    const text = "nodes.transform.output.quality >= params.min_quality && params.source";
    await t.until(`column ${text.indexOf("params.source") + 1}`);
    expect(t.screen()).not.toContain("column 1:");
  });

  it("problem 11: ctrl+w and alt+b edit a prompt by word, ctrl+u clears the list filter, Enter is Open", async () => {
    expect((await weft("import", resolve(root, "examples/data-pipeline.yaml"))).code).toBe(0);
    term = tmuxWeft(["design"], ctx.env, size);
    const list = await term.until("data-pipeline");
    expect(list).toContain("Enter Open");
    term.type("pipe");
    await term.until("filter › pipe");
    await term.keys("C-u");
    await term.until((s) => !s.includes("filter › pipe"));
    await term.keys("Enter");
    await term.until("Nodes 7 · Edges 7 · v1");
    await term.keys("R");
    await term.until("Rename fetch_data to: fetch_data");
    term.type(" more words");
    await term.until("Rename fetch_data to: fetch_data more words");
    await term.keys("C-w");
    await term.until("`fetch_data more ` is not a valid id");
    await term.keys("M-b", "M-b");
    term.type("X");
    await term.until("Rename fetch_data to: Xfetch_data more");
  });

  it("problem 12: weft audit shows the run of each cancel and retry", async () => {
    await importHeld("noop");
    const id = (await weft("run", "held")).stdout.trim();
    expect((await weft("cancel", id)).code).toBe(0);
    expect((await weft("retry", id)).code).toBe(0);
    term = tmuxWeft(["audit", "--limit", "5"], ctx.env, size);
    await term.until("retry");
    // At 80 columns the terminal wraps the table's lines: read them as printed.
    const lines = term.printed().split("\n");
    for (const action of ["cancel", "retry"])
      expect(lines.find((l) => l.includes(action) && l.includes(id))).toBeDefined();
  });
});
