/**
 * Module tasks: a JS module's exported function (loaded only from WEFT_MODULE_PATH, see
 * module-path.ts), called with the input and an AbortSignal, in a worker thread of its own per
 * attempt, so a busy loop, `process.exit` or an uncaught error ends
 * that attempt and never the worker.
 *
 * The input goes in and the returned value comes back by structured clone (`postMessage`): plain
 * data, Dates, Maps and the like survive; functions and class identities do not.
 *
 * A stop (cancel, timeout, lost lease) fires the module's AbortSignal. A module that answers
 * (its event loop runs) gets the node's kill grace to finish; one that cannot answer within
 * ACK_WINDOW_MS is in a busy loop and its thread is terminated at once.
 */
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { resolveModule } from "./module-path.js";
import { MODULE_RUNNER_SOURCE } from "./module-runner.js";
import { graceOf, type Handler, HandlerError } from "./types.js";

const ACK_WINDOW_MS = 300;

type RunnerMessage =
  | { type: "ack" }
  | { type: "done"; value: unknown }
  | { type: "failed"; message: string; code?: number | string; abort?: boolean };

export const moduleHandler: Handler = ({ args, signal, idempotencyKey, killGraceMs }) =>
  new Promise((done, reject) => {
    const path = String(args.path);
    let file: string;
    try {
      file = resolveModule(path);
    } catch (e) {
      return reject(e);
    }
    const thread = new Worker(MODULE_RUNNER_SOURCE, {
      eval: true,
      workerData: {
        path,
        url: pathToFileURL(file).href,
        exportName: String(args.export ?? "default"),
        input: args.input,
        idempotencyKey,
      },
    });
    const timers: NodeJS.Timeout[] = [];
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", stop);
      for (const t of timers) clearTimeout(t);
      void thread.terminate();
      finish();
    };
    const stopped = () => settle(() => reject(signal.reason));
    let acknowledged = false;

    function stop() {
      const grace = graceOf(signal.reason, killGraceMs);
      if (grace <= 0) return stopped();
      const reason = signal.reason as unknown;
      thread.postMessage({
        type: "abort",
        message: reason instanceof Error ? reason.message : String(reason),
      });
      timers.push(
        setTimeout(
          () => {
            if (!acknowledged) stopped();
          },
          Math.min(ACK_WINDOW_MS, grace),
        ),
        setTimeout(stopped, grace),
      );
    }
    if (signal.aborted) return stopped();
    signal.addEventListener("abort", stop, { once: true });

    thread.on("message", (m: RunnerMessage) => {
      if (m.type === "ack") acknowledged = true;
      else if (m.type === "done") settle(() => done(m.value));
      else settle(() => reject(new HandlerError(m.message, m.code, m.abort === true)));
    });
    thread.on("error", (e) =>
      settle(() =>
        reject(
          signal.aborted
            ? signal.reason
            : new HandlerError(`module threw: ${e instanceof Error ? e.message : String(e)}`),
        ),
      ),
    );
    thread.on("exit", (code) =>
      settle(() =>
        reject(
          signal.aborted
            ? signal.reason
            : new HandlerError(`module called process.exit(${code})`, code),
        ),
      ),
    );
  });
