import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../support/redis.js";
import { engineOn, states } from "./support.js";

let server: TestRedis;
let http: Server;
let base: string;
const seen: { method?: string; body: string; key?: string }[] = [];

beforeAll(async () => {
  server = await startRedis();
  process.env.WEFT_MODULE_PATH = server.dir;
  http = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      seen.push({ method: req.method, body, key: req.headers["idempotency-key"] as string });
      if (req.url === "/missing") {
        res.writeHead(404).end("no such thing");
        return;
      }
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ ok: true, got: body ? JSON.parse(body) : null }));
    });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => http.close(r));
  await server.stop();
});

const noop = (id: string) => ({ id, kind: "task", handler: "noop" });

describe("node kinds", () => {
  it("forks on a parallel gateway and joins on another", async () => {
    const e = engineOn(server);
    await e.save({
      name: "par",
      nodes: [
        { id: "fork", kind: "parallel" },
        noop("a"),
        noop("b"),
        { id: "join", kind: "parallel" },
        noop("done"),
      ],
      edges: [
        { from: "fork", to: "a" },
        { from: "fork", to: "b" },
        { from: "a", to: "join" },
        { from: "b", to: "join" },
        { from: "join", to: "done" },
      ],
    });
    expect(states((await e.runToEnd("par")).record)).toEqual({
      fork: "succeeded",
      a: "succeeded",
      b: "succeeded",
      join: "succeeded",
      done: "succeeded",
    });
  });

  it("waits on a delay node before going on", async () => {
    const e = engineOn(server);
    await e.save({
      name: "wait",
      nodes: [{ id: "pause", kind: "delay", duration: "150ms" }, noop("after")],
      edges: [{ from: "pause", to: "after" }],
    });
    const { record } = await e.runToEnd("wait");
    expect(record.fields.status).toBe("succeeded");
    expect(record.nodes.pause!.end! - record.nodes.pause!.start!).toBeGreaterThanOrEqual(140);
  });

  it("fans a map task out over a list and keeps the results in order", async () => {
    const e = engineOn(server);
    await e.save({
      name: "fan",
      parameters: { files: { type: "array", default: ["a.csv", "b.csv", "c.csv"] } },
      nodes: [
        {
          id: "each",
          kind: "task",
          handler: "shell",
          map: { over: "params.files", concurrency: 2 },
          with: { command: ["echo", "${string(index)}:${item}"] },
        },
      ],
    });
    const { id, record } = await e.runToEnd("fan");
    expect(record.fields.status).toBe("succeeded");
    expect((await e.engine.runs.outputs(id)).each).toEqual(["0:a.csv", "1:b.csv", "2:c.csv"]);
  });

  it("calls an HTTP endpoint with the idempotency key, keeps the JSON reply, and fails on an unexpected status", async () => {
    const e = engineOn(server);
    await e.save({
      name: "call",
      nodes: [
        {
          id: "post",
          kind: "task",
          handler: "http",
          with: { url: `${base}/orders`, method: "POST", body: { n: 1 } },
        },
        { id: "missing", kind: "task", handler: "http", with: { url: `${base}/missing` } },
      ],
      edges: [{ from: "post", to: "missing" }],
    });
    const { id, record } = await e.runToEnd("call");
    expect((await e.engine.runs.outputs(id)).post).toEqual({ ok: true, got: { n: 1 } });
    expect(seen.find((s) => s.method === "POST")!.key).toBe(`${id}:post:1`);
    expect(record.nodes.missing).toMatchObject({
      status: "failed",
      error: "HTTP 404: no such thing [404]",
    });
  });

  it("calls a module's exported function with its input", async () => {
    const e = engineOn(server);
    const file = join(server.dir, "double.mjs");
    writeFileSync(
      file,
      "export async function double(input, { idempotencyKey }) { return { twice: input * 2, key: idempotencyKey } }\n",
    );
    await e.save({
      name: "mod",
      nodes: [
        {
          id: "calc",
          kind: "task",
          handler: "module",
          with: { path: file, export: "double", input: 21 },
        },
      ],
    });
    const { id } = await e.runToEnd("mod");
    expect((await e.engine.runs.outputs(id)).calc).toEqual({ twice: 42, key: `${id}:calc:1` });
  });

  it("runs a sub-workflow as a child run with its params and keeps the child's outputs", async () => {
    const e = engineOn(server);
    await e.save({
      name: "child",
      parameters: { WHO: { type: "string", required: true } },
      nodes: [
        {
          id: "greet",
          kind: "task",
          handler: "shell",
          with: { command: ["echo", "hello ${params.WHO}"] },
        },
      ],
    });
    await e.save({
      name: "parent",
      nodes: [
        noop("start"),
        { id: "call", kind: "subworkflow", workflow: "child", params: { WHO: "${run.workflow}" } },
        noop("after"),
      ],
      edges: [
        { from: "start", to: "call" },
        { from: "call", to: "after" },
      ],
    });
    const { id, record } = await e.runToEnd("parent");
    expect(states(record)).toEqual({ start: "succeeded", call: "succeeded", after: "succeeded" });
    expect((await e.engine.runs.outputs(id)).call).toEqual({ greet: "hello parent" });
    const child = await e.engine.status(`${id}.call.1`);
    expect(child.fields).toMatchObject({
      workflow: "child",
      status: "succeeded",
      parent: `${id}:call`,
    });
  });

  it("fails the parent's node when the child run fails, and cancels the child with the parent", async () => {
    const e = engineOn(server);
    await e.save({
      name: "bad-child",
      nodes: [{ id: "x", kind: "task", handler: "fail", with: { message: "nope" } }],
    });
    await e.save({
      name: "calls-bad",
      nodes: [{ id: "call", kind: "subworkflow", workflow: "bad-child" }],
    });
    const { id, record } = await e.runToEnd("calls-bad");
    expect(record.nodes.call).toMatchObject({
      status: "failed",
      error: `child run ${id}.call.1 failed: node x failed: nope [child_failed]`,
    });

    await e.save({
      name: "slow-child",
      nodes: [{ id: "nap", kind: "task", handler: "sleep", with: { duration: "30s" } }],
    });
    await e.save({
      name: "calls-slow",
      nodes: [{ id: "call", kind: "subworkflow", workflow: "slow-child" }],
    });
    const parent = await e.engine.startRun("calls-slow", {});
    const { Worker } = await import("../../src/engine/index.js");
    const worker = new Worker(e.engine, server.client(), { concurrency: 4 });
    const loop = worker.run();
    const childId = `${parent}.call.1`;
    while ((await e.engine.runs.read(childId))?.nodes.nap?.status !== "running")
      await new Promise((r) => setTimeout(r, 20));
    await e.engine.cancelRun(parent, "stop it all");
    while ((await e.engine.status(childId)).fields.status !== "cancelled")
      await new Promise((r) => setTimeout(r, 20));
    expect((await e.engine.status(childId)).fields.reason).toBe(`parent run ${parent} stopped`);
    await worker.stop(1_000);
    await loop;
  });
});
