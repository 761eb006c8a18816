/**
 * Shell tasks: argv form by default (no shell), `shell: true` or a shell name opts in. The
 * process leads its own process group, so a timeout or a cancel stops it and its children:
 * SIGTERM, then SIGKILL after the node's kill grace (at once for a stop that skips the grace).
 * The reaper kills the group if the worker dies first. `${...}` values never enter a shell
 * command line: they are passed as $WEFT_ARG_n.
 */
import { spawn } from "node:child_process";
import { superviseGroup } from "./reaper.js";
import { graceOf, type Handler, HandlerError, stopWithGrace } from "./types.js";

const OUTPUT_CAP = 1024 * 1024;
const BASE_ENV = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER"];

export const shell: Handler = ({ args, signal, log, templates, idempotencyKey, killGraceMs }) =>
  new Promise((resolve, reject) => {
    const useShell = args.shell === true || typeof args.shell === "string";
    const shellCommand =
      typeof args.shell === "string" ? args.shell.split(/\s+/) : ["/bin/sh", "-c"];
    let argv: string[];
    if (useShell) {
      const script =
        typeof args.script === "string"
          ? args.script
          : String(Array.isArray(args.command) ? args.command.join(" ") : args.command);
      argv =
        typeof args.script === "string" && args.command !== undefined
          ? [
              ...(Array.isArray(args.command)
                ? args.command.map(String)
                : String(args.command).split(/\s+/)),
              "-c",
              script,
            ]
          : [...shellCommand, script];
    } else {
      argv = Array.isArray(args.command)
        ? args.command.map(String)
        : String(args.command).split(/\s+/).filter(Boolean);
    }
    const env: Record<string, string> = {};
    for (const name of [...BASE_ENV, ...((args.inheritEnv as string[] | undefined) ?? [])]) {
      const v = process.env[name];
      if (v !== undefined) env[name] = v;
    }
    Object.assign(env, (args.env as Record<string, string> | undefined) ?? {});
    templates.values.forEach((v, i) => {
      env[`WEFT_ARG_${i + 1}`] = v;
    });
    env.WEFT_IDEMPOTENCY_KEY = idempotencyKey;
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: typeof args.cwd === "string" ? args.cwd : undefined,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let size = 0;
    const collect = (chunk: Buffer, isOut: boolean) => {
      size += chunk.length;
      if (size > OUTPUT_CAP) return;
      const text = chunk.toString();
      if (isOut) stdout += text;
      log(text);
    };
    child.stdout.on("data", (c: Buffer) => collect(c, true));
    child.stderr.on("data", (c: Buffer) => collect(c, false));
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
      if (code === 0) return resolve(parseOutput(stdout));
      reject(
        new HandlerError(
          sig ? `killed by ${sig}` : `exited with code ${code}${stdout ? "" : ""}`,
          code ?? sig ?? undefined,
        ),
      );
    });
  });

/** Output is the trimmed stdout; JSON when it parses as JSON (so conditions can read fields). */
function parseOutput(stdout: string): unknown {
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
