import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../support/redis.js";
import { engineOn, states } from "./support.js";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
  process.env.WEFT_MODULE_PATH = server.dir;
});
afterAll(() => server.stop());

function moduleFile(name: string, source: string): string {
  const file = join(server.dir, name);
  writeFileSync(file, source);
  return file;
}

describe("module tasks in their own thread", () => {
  it("stops a busy loop on timeout within about a second, and the worker runs the next node", async () => {
    const e = engineOn(server);
    const spin = moduleFile("spin.mjs", "export default function spin() { for (;;) {} }\n");
    const answer = moduleFile("answer.mjs", "export default function answer() { return 42 }\n");
    await e.save({
      name: "spin",
      nodes: [
        {
          id: "spin",
          kind: "task",
          handler: "module",
          timeout: "1s",
          continueOnFailure: true,
          with: { path: spin },
        },
        { id: "after", kind: "task", handler: "module", with: { path: answer } },
      ],
      edges: [{ from: "spin", to: "after" }],
    });
    const started = Date.now();
    const { id, record } = await e.runToEnd("spin", {}, { concurrency: 1 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(states(record)).toEqual({ spin: "failed", after: "succeeded" });
    expect(record.nodes.spin!.error).toMatch(/timed out after 1000 ms/);
    expect((await e.engine.runs.outputs(id)).after).toBe(42);
  });

  it("lets a cooperative module see its AbortSignal and finish within the grace", async () => {
    const e = engineOn(server);
    const marker = join(server.dir, "aborted.txt");
    const polite = moduleFile(
      "polite.mjs",
      [
        'import { readFileSync, writeFileSync } from "node:fs";',
        "export default (input, { signal }) => new Promise((_, reject) => {",
        "  signal.addEventListener('abort', () => setTimeout(() => {",
        `    writeFileSync(${JSON.stringify(marker)}, 'yes');`,
        "    reject(signal.reason);",
        "  }, 400));",
        "});",
        "",
      ].join("\n"),
    );
    await e.save({
      name: "polite",
      nodes: [
        { id: "polite", kind: "task", handler: "module", timeout: "1s", with: { path: polite } },
      ],
    });
    const { record } = await e.runToEnd("polite");
    expect(states(record)).toEqual({ polite: "failed" });
    expect(readFileSync(marker, "utf8")).toBe("yes");
  });

  it("fails the attempt with a clear error when the module calls process.exit, and the run ends", async () => {
    const e = engineOn(server);
    const quit = moduleFile("quit.mjs", "export default function quit() { process.exit(3) }\n");
    await e.save({
      name: "quit",
      nodes: [{ id: "quit", kind: "task", handler: "module", with: { path: quit } }],
    });
    const { record } = await e.runToEnd("quit");
    expect(record.fields.status).toBe("failed");
    expect(record.nodes.quit).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/module called process\.exit\(3\)/),
    });
  });

  it("fails the attempt when the module throws outside its promise", async () => {
    const e = engineOn(server);
    const boom = moduleFile(
      "boom.mjs",
      "export default () => new Promise(() => { setTimeout(() => { throw new Error('kaboom') }, 10) })\n",
    );
    await e.save({
      name: "boom",
      nodes: [{ id: "boom", kind: "task", handler: "module", with: { path: boom } }],
    });
    const { record } = await e.runToEnd("boom");
    expect(record.fields.status).toBe("failed");
    expect(record.nodes.boom!.error).toMatch(/module threw: kaboom/);
  });
});

describe("where modules load from (WEFT_MODULE_PATH)", () => {
  it("loads a relative path from the module path, and refuses code outside it, by `..` or by a symlink", async () => {
    const { mkdirSync, symlinkSync } = await import("node:fs");
    const outside = join(server.dir, "..", `outside-${process.pid}`);
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, "evil.mjs"), "export default () => 'ran outside'\n");
    moduleFile("inside.mjs", "export default () => 'ran inside'\n");
    symlinkSync(join(outside, "evil.mjs"), join(server.dir, "link.mjs"));
    const e = engineOn(server);
    const task = (id: string, path: string) => ({
      id,
      kind: "task",
      handler: "module",
      continueOnFailure: true,
      with: { path },
    });
    await e.save({
      name: "paths",
      nodes: [
        task("inside", "inside.mjs"),
        task("absolute", join(outside, "evil.mjs")),
        task("link", "link.mjs"),
      ],
    });
    const { id, record } = await e.runToEnd("paths");
    expect((await e.engine.runs.outputs(id)).inside).toBe("ran inside");
    for (const node of ["absolute", "link"]) {
      expect(record.nodes[node]!.status, node).toBe("failed");
      expect(record.nodes[node]!.error, node).toMatch(/is not inside the module path/);
    }
  });
});
