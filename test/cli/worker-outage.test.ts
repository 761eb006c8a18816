import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeKeys } from "../../src/store/index.js";
import { runWeft } from "../support/cli.js";
import { type RestartableRedis, startRestartableRedis } from "../support/redis-restart.js";
import { until } from "../support/until.js";

const root = resolve(import.meta.dirname, "../..");

let server: RestartableRedis;
let dir: string;
let worker: ChildProcess | undefined;
beforeAll(async () => {
  server = await startRestartableRedis();
  dir = mkdtempSync(join(tmpdir(), "weft-worker-outage-"));
});
afterAll(async () => {
  worker?.kill("SIGKILL");
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ REDIS_URL: server.url, WEFT_PREFIX: "wo", WEFT_USER: "ada" });
const weft = (...argv: string[]) => runWeft(argv, { cwd: dir, env: env() });

describe("weft worker and a Redis restart", () => {
  it("does not exit while redis-server is down for 5 s, and runs a new run once it is back", async () => {
    writeFileSync(
      join(dir, "hello.yaml"),
      "name: hello\nnodes:\n  - { id: hi, kind: task, handler: shell, with: { command: [echo, hi] } }\n",
    );
    expect((await weft("import", "hello.yaml")).code).toBe(0);

    let output = "";
    const child = spawn(process.execPath, [join(root, "bin/weft.js"), "worker", "--verbose"], {
      cwd: dir,
      env: { ...process.env, ...env(), NO_COLOR: "1" },
    });
    worker = child;
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    let exit: string | undefined;
    child.once("exit", (code, signal) => {
      exit = `exit ${code ?? signal}`;
    });
    await until("the worker to start", 10_000, async () =>
      output.includes("concurrency") ? true : undefined,
    );

    await server.kill();
    await sleep(5_000);
    expect({ exit, output }).toMatchObject({ exit: undefined });
    await server.start();

    const started = await weft("run", "hello");
    expect(started.code).toBe(0);
    const id = /^([0-9A-Z]{26})$/m.exec(started.stdout)?.[1];
    expect(id).toBeDefined();
    const observer = server.client();
    const status = await until("the run to finish", 20_000, async () => {
      const s = await observer.hget(storeKeys("wo").run(id!).meta, "status");
      return s === "succeeded" || s === "failed" ? s : undefined;
    }).catch((cause: Error) => `${cause.message}; worker: ${exit ?? "running"}\n${output}`);
    expect(status).toBe("succeeded");
    // The worker ran it, not someone else.
    expect(output).toMatch(new RegExp(`${id}\\s+hi\\s+succeeded`));
    expect(exit).toBeUndefined();

    child.kill("SIGTERM");
    await until("the worker to stop", 10_000, async () => exit);
    expect(exit).toBe("exit 0");
  }, 60_000);
});
