/**
 * What runs inside a module task's worker thread. It is source text, evaluated with
 * `new Worker(source, { eval: true })`, so the same code runs from src (tsx, vitest) and from
 * dist without a file to locate next to this one.
 *
 * Messages to the thread: `{ type: "abort", message }`, answered at once with `{ type: "ack" }`
 * (a thread whose event loop is blocked cannot answer, which is how the handler tells a busy loop
 * from a module that is cleaning up). Messages from it: `ack`, `done` with the value, `failed`
 * with a message and an optional code.
 */
export const MODULE_RUNNER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const controller = new AbortController();
parentPort.on("message", (message) => {
  if (!message || message.type !== "abort") return;
  parentPort.postMessage({ type: "ack" });
  const reason = new Error(message.message);
  reason.name = "AbortError";
  controller.abort(reason);
});
const codeOf = (e) =>
  e && (typeof e.code === "number" || typeof e.code === "string") ? e.code : undefined;
(async () => {
  let fn;
  try {
    fn = (await import(workerData.url))[workerData.exportName];
  } catch (e) {
    parentPort.postMessage({ type: "failed", message: "cannot load " + workerData.path + ": " + (e && e.message), code: "bad_module" });
    return;
  }
  if (typeof fn !== "function") {
    parentPort.postMessage({ type: "failed", message: workerData.path + " exports no function \`" + workerData.exportName + "\`", code: "bad_module" });
    return;
  }
  let value;
  try {
    value = await fn(workerData.input, { signal: controller.signal, idempotencyKey: workerData.idempotencyKey });
  } catch (e) {
    // An error named AbortRun stops the whole run (no retry, compensations run).
    parentPort.postMessage({ type: "failed", message: e instanceof Error ? e.message : String(e), code: codeOf(e), abort: !!e && e.name === "AbortRun" });
    return;
  }
  try {
    parentPort.postMessage({ type: "done", value });
  } catch (e) {
    parentPort.postMessage({ type: "failed", message: "the module's result cannot be sent back: " + e.message, code: "bad_result" });
  }
})();
`;
