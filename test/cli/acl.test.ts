import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { storeKeys } from "../../src/store/index.js";
import { scriptSource } from "../../src/store/scripts.js";
import { cliOnRedis } from "../support/cli.js";

const root = resolve(import.meta.dirname, "../..");
const { ctx, weft } = cliOnRedis("acl");
const pipeline = join(root, "examples/data-pipeline.yaml");

type Urls = Record<string, string>;

async function apply(...flags: string[]): Promise<Urls> {
  const r = await weft("acl", "apply", "--format", "json", ...flags);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Urls;
}

/** Runs weft as the role of `url` (its own REDIS_URL, the display name ada). */
const as = async (url: string, ...argv: string[]) => {
  const saved = ctx.env.REDIS_URL;
  ctx.env.REDIS_URL = url;
  try {
    return await weft(...argv);
  } finally {
    ctx.env.REDIS_URL = saved!;
  }
};

const clients: Redis[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});

/** A raw connection as a role: what a task or a person with its password can do by hand. */
function raw(url: string): Redis {
  const u = new URL(url);
  const client = new Redis({
    path: u.pathname,
    username: u.searchParams.get("username")!,
    password: u.searchParams.get("password")!,
    maxRetriesPerRequest: 0,
  });
  client.on("error", () => undefined);
  clients.push(client);
  return client;
}

const refused = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => undefined,
    (e: Error) => e,
  );
  expect(error?.message ?? "it was allowed").toMatch(/NOPERM|can't access/);
};

describe("roles enforced by Redis (problem 7)", () => {
  it("creates the five roles, prints their URLs, keeps passwords unless --rotate", async () => {
    const urls = await apply();
    expect(Object.keys(urls)).toEqual([
      "weft-admin",
      "weft-designer",
      "weft-operator",
      "weft-viewer",
      "weft-worker",
    ]);
    expect(urls["weft-viewer"]).toMatch(/^unix:\/\/.*\?username=weft-viewer&password=[\w-]{20,}$/);
    expect(await apply()).toEqual(urls);
    const rotated = await apply("--rotate");
    expect(rotated["weft-viewer"]).not.toBe(urls["weft-viewer"]);
    const old = await as(urls["weft-viewer"]!, "ls");
    expect(old.code).not.toBe(0);
    expect((await as(rotated["weft-viewer"]!, "ls")).code).toBe(0);
  });

  it("refuses in the CLI, before any write, what a role may not do (exit 3)", async () => {
    const urls = await apply();
    const operatorImport = await as(urls["weft-operator"]!, "import", pipeline);
    expect(operatorImport.code).toBe(3);
    expect(operatorImport.stderr).toContain("not allowed: weft-operator may not save workflows");
    expect((await as(urls["weft-designer"]!, "import", pipeline)).code).toBe(0);
    const designerRun = await as(urls["weft-designer"]!, "run", "data-pipeline");
    expect(designerRun.code).toBe(3);
    expect(designerRun.stderr).toContain("not allowed: weft-designer may not start runs");
    const viewerRm = await as(urls["weft-viewer"]!, "rm", "data-pipeline");
    expect(viewerRm.code).toBe(3);
    expect(viewerRm.stderr).toContain("not allowed: weft-viewer may not delete workflows");
    expect((await as(urls["weft-viewer"]!, "ls")).stdout).toContain("data-pipeline");

    const started = await as(urls["weft-operator"]!, "run", "data-pipeline");
    expect(started.code, started.stderr).toBe(0);
    const id = started.stdout.trim();
    const designerCancel = await as(urls["weft-designer"]!, "cancel", id);
    expect(designerCancel.code).toBe(3);
    expect(designerCancel.stderr).toContain("not allowed: weft-designer may not cancel runs");
    expect((await as(urls["weft-viewer"]!, "status", id)).code).toBe(0);
    expect((await as(urls["weft-operator"]!, "cancel", id)).code).toBe(0);
  });

  it("a worker with the worker role runs what an operator started", async () => {
    const urls = await apply();
    expect((await as(urls["weft-designer"]!, "import", pipeline)).code).toBe(0);
    const started = await as(urls["weft-operator"]!, "run", "data-pipeline");
    const id = started.stdout.trim();
    const worker: ChildProcess = spawn(process.execPath, [join(root, "bin/weft.js"), "worker"], {
      cwd: ctx.dir,
      env: { ...process.env, ...ctx.env, REDIS_URL: urls["weft-worker"]!, NO_COLOR: "1" },
      stdio: "ignore",
    });
    try {
      let status = "";
      for (let i = 0; i < 100 && status !== "succeeded"; i++) {
        await sleep(200);
        status = JSON.parse(
          (await as(urls["weft-viewer"]!, "status", id, "--format", "json")).stdout,
        ).fields.status;
      }
      expect(status).toBe("succeeded");
    } finally {
      worker.kill("SIGKILL");
    }
  });

  it("holds with raw Redis commands too", async () => {
    const urls = await apply();
    expect((await as(urls["weft-designer"]!, "import", pipeline)).code).toBe(0);
    const started = await as(urls["weft-operator"]!, "run", "data-pipeline");
    const id = started.stdout.trim();
    const p = ctx.env.WEFT_PREFIX;
    const workflow = `${p}:{reg}:wf:data-pipeline`;
    const runMeta = `${p}:{run:${id}}:meta`;

    const operator = raw(urls["weft-operator"]!);
    await refused(operator.hset(workflow, "current", "99"));
    await refused(operator.hset(`${p}:{reg}:audit:by:weft-operator`, "x", "forged"));
    await refused(operator.del(`${p}:{reg}:audit:by:weft-operator`));
    await refused(operator.xadd(`${p}:{reg}:audit`, "MAXLEN", "0", "*", "who", "x"));
    await refused(operator.hgetall(`${p}:{acl}:secrets`));

    const designer = raw(urls["weft-designer"]!);
    await refused(designer.hset(runMeta, "status", "cancelled"));
    // The cancel script itself, sent by hand: Redis refuses its first write.
    const runKeys = storeKeys(p).run(id).scriptKeys(["default"]);
    const cancel = scriptSource("cancel-run.lua");
    await refused(
      designer.eval(cancel, runKeys.length, ...runKeys, "default", Date.now(), "by hand", "0"),
    );
    expect(await designer.hget(runMeta, "status")).not.toBe("cancelled");

    const viewer = raw(urls["weft-viewer"]!);
    await refused(viewer.set(`${p}:{reg}:workflows`, "x"));
    await refused(viewer.hset(runMeta, "status", "x"));
    await refused(viewer.set(`${p}:{layout}:x`, "x"));
    expect(await viewer.hget(runMeta, "workflow")).toBe("data-pipeline");

    const worker = raw(urls["weft-worker"]!);
    await refused(worker.hset(workflow, "current", "99"));
    await refused(worker.xadd(`${p}:{reg}:audit`, "*", "who", "forged"));
    await refused(worker.hsetnx(`${p}:{reg}:audit:by:weft-operator`, "1-1", "{}"));
    await refused(worker.hsetnx(`${p}:{reg}:audit:by:weft-worker`, "1-1", "{}"));
    await refused(worker.flushall());
  });
});

describe("an audit you can rely on (problem 8)", () => {
  it("names the ACL user as the actor and the display name apart, escaped", async () => {
    const urls = await apply();
    ctx.env.WEFT_USER = "mallory\n2026-01-01 00:00:00  admin";
    expect((await as(urls["weft-designer"]!, "import", pipeline)).code).toBe(0);
    const started = await as(urls["weft-operator"]!, "run", "data-pipeline");
    const id = started.stdout.trim();
    expect((await as(urls["weft-operator"]!, "cancel", id)).code).toBe(0);
    const entries = JSON.parse(
      (await as(urls["weft-viewer"]!, "audit", "--format", "json")).stdout,
    ) as { who: string; name?: string; action: string; run?: string }[];
    expect(entries.map((e) => `${e.action} ${e.who}`)).toEqual([
      "acl ada",
      "import weft-designer",
      "run weft-operator",
      "cancel weft-operator",
    ]);
    expect(entries[1]!.name).toBe("mallory\n2026-01-01 00:00:00  admin");
    expect(entries[3]!.run).toBe(id);
    const table = (await as(urls["weft-viewer"]!, "audit")).stdout;
    expect(table).toContain("weft-designer (mallory\\n2026");
    expect(table.split("\n").filter((l) => l.includes("admin") && !l.includes("mallory"))).toEqual(
      [],
    );
  });
});
