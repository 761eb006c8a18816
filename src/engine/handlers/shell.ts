/**
 * Shell tasks: argv form by default (no shell), `shell: true` or a shell name opts in (the argv
 * is built in shell-command.ts). Each attempt runs in a fresh temporary directory unless `cwd`
 * is given, with only the allow-listed environment; stdout and stderr are capped apart, and a
 * cut is noted on the node and in its log.
 *
 * The process leads its own process group, so a timeout or a cancel stops it and its children:
 * SIGTERM, then SIGKILL after the node's kill grace (at once for a stop that skips the grace).
 * The reaper kills the group if the worker dies first.
 */
import { spawn } from "node:child_process";
import { type FileHandle, mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { binaryUnits, DEFAULT_LIMITS, shellArgName } from "../../spec/index.js";
import { superviseGroup } from "./reaper.js";
import {
  graceOf,
  type Handler,
  type HandlerContext,
  HandlerError,
  stopWithGrace,
} from "./types.js";

const BASE_ENV = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER"];

const DEFAULT_OUTPUT_CAPS = {
  stdout: DEFAULT_LIMITS.maxStdout,
  stderr: DEFAULT_LIMITS.maxStderr,
} as const;

export const shell: Handler = async (ctx) => {
  const given = typeof ctx.args.cwd === "string" ? ctx.args.cwd : undefined;
  const files = await openStreamFiles(ctx.args, given ?? process.cwd());
  // Each attempt gets a fresh working directory, removed afterwards, unless `cwd` names one.
  const own = given === undefined ? await mkdtemp(join(tmpdir(), "weft-")) : undefined;
  try {
    return await runShell(ctx, own ?? given!, files);
  } finally {
    await Promise.all([files.stdout, files.stderr].map((f) => f?.close()));
    if (own) await rm(own, { recursive: true, force: true }).catch(() => undefined);
  }
};

type StreamFiles = Partial<Record<"stdout" | "stderr", FileHandle>>;

/** The `stdout:`/`stderr:` files, truncated and open for the whole stream. */
async function openStreamFiles(args: Record<string, unknown>, base: string): Promise<StreamFiles> {
  const files: StreamFiles = {};
  for (const stream of ["stdout", "stderr"] as const) {
    const written = args[stream];
    if (typeof written !== "string") continue;
    // `${NAME}` and `$NAME` name the task's environment, as a shell would read them.
    const env = (args.env as Record<string, string> | undefined) ?? {};
    const path = written.replace(
      /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
      (all, braced?: string, bare?: string) => env[(braced ?? bare)!] ?? all,
    );
    try {
      files[stream] = await open(resolve(base, path), "w");
    } catch (cause) {
      await Promise.all(Object.values(files).map((f) => f.close()));
      throw new HandlerError(
        `cannot write ${stream} to ${path}: ${(cause as Error).message.replace(/^[A-Z]+: /, "")}`,
        "bad_args",
      );
    }
  }
  return files;
}

const runShell = (
  { args, signal, log, templates, idempotencyKey, killGraceMs, caps, note }: HandlerContext,
  cwd: string,
  files: StreamFiles,
) =>
  new Promise((resolve, reject) => {
    const argv = args.argv as string[];
    const env: Record<string, string> = {};
    for (const name of [...BASE_ENV, ...((args.inheritEnv as string[] | undefined) ?? [])]) {
      const v = process.env[name];
      if (v !== undefined) env[name] = v;
    }
    Object.assign(env, (args.env as Record<string, string> | undefined) ?? {});
    templates.values.forEach((v, i) => {
      env[shellArgName(i + 1)] = v;
    });
    env.WEFT_IDEMPOTENCY_KEY = idempotencyKey;
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    const limits = caps ?? DEFAULT_OUTPUT_CAPS;
    // Every chunk goes to its file in order; the process's end waits for the last write.
    let writes: Promise<unknown> = Promise.resolve();
    const capture = (name: "stdout" | "stderr", onText: (text: string) => void) => {
      const decoder = new StringDecoder("utf8");
      let size = 0;
      let cut = false;
      const file = files[name];
      return (chunk: Buffer) => {
        if (file) writes = writes.then(() => file.write(chunk));
        const room = limits[name] - size;
        size += chunk.length;
        if (room > 0) onText(decoder.write(chunk.length > room ? chunk.subarray(0, room) : chunk));
        // Cut only once a byte past the cap arrives: output of exactly the cap is whole.
        if (size > limits[name] && !cut) {
          cut = true;
          onText(decoder.end());
          const what = `${name} cut at ${formatBytes(limits[name])} (limits.${name === "stdout" ? "maxStdout" : "maxStderr"})`;
          note?.(what);
          log(`\n[weft] ${what}: the rest was dropped\n`);
        }
      };
    };
    child.stdout.on(
      "data",
      capture("stdout", (text) => {
        stdout += text;
        log(text);
      }),
    );
    child.stderr.on("data", capture("stderr", log));
    const group = child.pid;
    const unsupervise = group === undefined ? () => undefined : superviseGroup(group);
    const signalGroup = (name: NodeJS.Signals) => {
      try {
        if (group !== undefined) process.kill(-group, name);
      } catch {
        // already gone
      }
    };
    // After a stop, whatever is left of the group is killed when the grace runs out, even if the
    // leader exited early; until then the reaper keeps the group in case the worker dies.
    const stop = () =>
      stopWithGrace(
        graceOf(signal.reason, killGraceMs),
        () => signalGroup("SIGTERM"),
        () => {
          signalGroup("SIGKILL");
          unsupervise();
        },
      );
    signal.addEventListener("abort", stop, { once: true });
    child.on("error", (err) => {
      signal.removeEventListener("abort", stop);
      unsupervise();
      reject(new HandlerError(`cannot run \`${argv[0]}\`: ${err.message}`, "spawn_failed"));
    });
    child.on("close", (code, sig) => {
      signal.removeEventListener("abort", stop);
      if (signal.aborted) return reject(signal.reason);
      unsupervise();
      writes.then(
        () => {
          if (code === 0) return resolve(parseOutput(stdout));
          reject(
            new HandlerError(
              sig ? `killed by ${sig}` : `exited with code ${code}`,
              code ?? sig ?? undefined,
              false,
              stdout,
            ),
          );
        },
        (cause: Error) =>
          reject(new HandlerError(`cannot write the output file: ${cause.message}`, "io")),
      );
    });
  });

const formatBytes = (n: number): string => binaryUnits(n) ?? `${n} bytes`;

/** Output is the trimmed stdout; JSON when it parses as JSON (so conditions can read fields). */
export function parseOutput(stdout: string): unknown {
  const text = stdout.trim();
  if (text === "") return null;
  if (/^[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
