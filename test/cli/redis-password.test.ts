/**
 * A Redis that asks for a password, seen from the command line: every command that connects,
 * with a wrong and with the right password in REDIS_URL, never prints the password; a wrong
 * password (or user) says so in one line and exits 2 like an unreachable Redis; a malformed
 * REDIS_URL says which forms weft takes, in one line, and exits 2.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeStrayFailure } from "../../src/cli/stray-failures.js";
import { connectTo } from "../../src/store/index.js";
import { runWeft } from "../support/cli.js";
import { type PasswordRedis, startPasswordRedis } from "../support/redis-password.js";
import { until } from "../support/until.js";

const root = resolve(import.meta.dirname, "../..");
const PASSWORD = "S3cr3t-pa@ss";
const ENCODED = encodeURIComponent(PASSWORD);
/** Nothing of either password may appear in anything weft prints. */
const SECRETS = /S3cr3t|Wr0ng|pa@ss|pa%40ss/;
const RUN_ID = "01JD3K2M8Q0000000000000000";

let server: PasswordRedis;
let dir: string;
beforeAll(async () => {
  server = await startPasswordRedis(PASSWORD);
  dir = mkdtempSync(join(tmpdir(), "weft-password-"));
  writeFileSync(
    join(dir, "hello.yaml"),
    "name: hello\nnodes:\n  - { id: hi, kind: task, handler: shell, with: { command: [echo, hi] } }\n",
  );
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every command that connects to Redis, with arguments that need no earlier state. */
const connecting: string[][] = [
  ["import", "hello.yaml"],
  ["export", "hello"],
  ["ls"],
  ["versions", "hello"],
  ["show", "hello"],
  ["diff", "hello@1", "hello@1"],
  ["rm", "nothing"],
  ["audit"],
  ["redis", "status"],
  ["run", "hello"],
  ["run", "hello", "--wait"],
  ["runs"],
  ["status", RUN_ID],
  ["events", RUN_ID],
  ["events", RUN_ID, "--follow"],
  ["logs", RUN_ID, "hi"],
  ["logs", RUN_ID, "hi", "--follow"],
  ["cancel", RUN_ID],
  ["retry", RUN_ID],
  ["worker"],
];

function weftIn(url: string, prefix: string) {
  return (...argv: string[]) =>
    runWeft(argv, { cwd: dir, env: { REDIS_URL: url, WEFT_PREFIX: prefix, WEFT_USER: "ada" } });
}

/** `weft worker` in its own process (it runs until a signal), stopped once it has started. */
async function workerRun(url: string, prefix: string) {
  let output = "";
  const child = spawn(process.execPath, [join(root, "bin/weft.js"), "worker"], {
    cwd: dir,
    env: { ...process.env, REDIS_URL: url, WEFT_PREFIX: prefix, WEFT_USER: "ada", NO_COLOR: "1" },
  });
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((done) => child.once("exit", done));
  let code: number | null | undefined;
  void exited.then((c) => {
    code = c;
  });
  await until("the worker to start or fail", 10_000, async () =>
    output.includes("concurrency") || code !== undefined ? true : undefined,
  );
  child.kill("SIGTERM");
  return { code: await exited, output };
}

describe("the right password in REDIS_URL", () => {
  const forms = () => [
    ["userinfo of the default user", `redis://:${PASSWORD}@127.0.0.1:${server.port}`],
    ["userinfo of an ACL user", `redis://ada:${PASSWORD}@127.0.0.1:${server.port}/0`],
    ["a ?password= parameter", `redis://127.0.0.1:${server.port}/0?password=${ENCODED}`],
    ["a unix socket with ?password=", `unix://${"SOCKET"}?password=${ENCODED}`],
  ];
  for (let i = 0; i < 4; i++) {
    it(`works and is never printed: form ${i + 1}`, async () => {
      const [, raw] = forms()[i]!;
      const url = raw!.replace("SOCKET", server.socket);
      const weft = weftIn(url, `ok${i}`);
      let all = "";
      const codes: Record<string, number> = {};
      const step = async (...argv: string[]) => {
        const r = await weft(...argv);
        all += r.stdout + r.stderr;
        codes[argv.join(" ")] = r.code;
        return r;
      };
      await step("import", "hello.yaml");
      await step("ls");
      await step("versions", "hello");
      await step("show", "hello");
      await step("export", "hello");
      await step("diff", "hello@1", "hello@1");
      await step("redis", "status");
      const queued = await step("run", "hello");
      const queuedId = /^([0-9A-Z]{26})$/m.exec(queued.stdout)?.[1] ?? RUN_ID;
      await step("cancel", queuedId);
      await step("run", "hello", "--wait");
      const runs = await step("runs", "--status", "succeeded", "--format", "json");
      const id = /"(?:id|runId)":\s*"([0-9A-Z]{26})"/.exec(runs.stdout)?.[1] ?? RUN_ID;
      await step("status", id);
      await step("events", id);
      await step("logs", id, "hi");
      await step("retry", id, "--from-scratch", "--wait");
      await step("audit");
      await step("rm", "hello");
      const worker = await workerRun(url, `ok${i}`);
      all += worker.output;
      codes.worker = worker.code ?? -1;
      expect(all).not.toMatch(SECRETS);
      expect(codes).toEqual({
        "import hello.yaml": 0,
        ls: 0,
        "versions hello": 0,
        "show hello": 0,
        "export hello": 0,
        "diff hello@1 hello@1": 0,
        "redis status": 0,
        "run hello": 0,
        [`cancel ${queuedId}`]: 0,
        "run hello --wait": 0,
        "runs --status succeeded --format json": 0,
        [`status ${id}`]: 0,
        [`events ${id}`]: 0,
        [`logs ${id} hi`]: 0,
        [`retry ${id} --from-scratch --wait`]: 0,
        audit: 0,
        "rm hello": 0,
        worker: 0,
      });
      expect(worker.output).toContain("Redis ");
    }, 30_000);
  }
});

describe("a wrong password or user in REDIS_URL", () => {
  const cases = () => [
    {
      url: `redis://:Wr0ng-pa@ss@127.0.0.1:${server.port}`,
      line: `weft: Redis refused the password for user default at redis://:***@127.0.0.1:${server.port}\n`,
    },
    {
      url: `redis://bob:${PASSWORD}@127.0.0.1:${server.port}/0`,
      line: `weft: Redis refused the password for user bob at redis://bob:***@127.0.0.1:${server.port}/0\n`,
    },
    {
      url: `unix://SOCKET?password=Wr0ng-pa%40ss`,
      line: "weft: Redis refused the password for user default at unix://SOCKET?password=***\n",
    },
  ];
  for (let i = 0; i < 3; i++) {
    for (const argv of connecting) {
      it(`weft ${argv.join(" ")}: one line naming the user, exit 2 (case ${i + 1})`, async () => {
        const c = cases()[i]!;
        const url = c.url.replace("SOCKET", server.socket);
        const r =
          argv[0] === "worker"
            ? await workerRun(url, `bad${i}`).then((w) => ({
                code: w.code,
                stdout: "",
                stderr: w.output,
              }))
            : await weftIn(url, `bad${i}`)(...argv);
        expect(r.stdout + r.stderr).not.toMatch(SECRETS);
        expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
          code: 2,
          stdout: "",
          stderr: c.line.replace("SOCKET", server.socket),
        });
      });
    }
  }
});

describe("a malformed REDIS_URL", () => {
  const malformed = [
    "redis://:@@",
    "http://x",
    "redis://host:notaport",
    "::::",
    "redis://u:S3cr3t-pa@ss@host:notaport",
  ];
  for (const url of malformed) {
    for (const argv of [["ls"], ["run", "hello"], ["worker"]]) {
      it(`weft ${argv.join(" ")} with ${url}: one line naming the forms, exit 2`, async () => {
        const r = await weftIn(url, "malformed")(...argv);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr).toMatch(/^weft: [^\n]*malformed[^\n]*\n$/);
        expect(r.stderr).toContain("redis://[user:password@]host[:port][/db]");
        expect(r.stderr).toContain("rediss://");
        expect(r.stderr).toContain("unix:///path");
        expect(r.stderr).not.toMatch(SECRETS);
      });
    }
  }
});

describe("Redis refusing the password in the middle of a command", () => {
  it("the failure that escapes is one line naming the user, exit 2", async () => {
    const url = `redis://ada:${PASSWORD}@127.0.0.1:${server.port}`;
    const admin = new Redis({ path: server.socket, password: PASSWORD });
    const connection = await connectTo(url, { mode: "resilient" });
    try {
      await admin.acl("SETUSER", "ada", "resetpass", ">Wr0ng-now");
      await admin.client("KILL", "USER", "ada");
      // A command sent once the client knows: it waits for the reconnect, whose AUTH fails.
      await until("the client to see the connection go", 5_000, async () =>
        connection.state() === "reconnecting" ? true : undefined,
      );
      const refused = await connection.redis.get("x").then(
        () => undefined,
        (e: unknown) => e,
      );
      const report = await describeStrayFailure(refused, { REDIS_URL: url });
      expect(report).toEqual({
        line: `weft: Redis refused the password for user ada at redis://ada:***@127.0.0.1:${server.port}`,
        exitCode: 2,
      });
    } finally {
      await admin.acl("SETUSER", "ada", "resetpass", `>${PASSWORD}`);
      connection.redis.disconnect();
      admin.disconnect();
    }
  });
});
