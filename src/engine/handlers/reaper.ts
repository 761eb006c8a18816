/**
 * The reaper: a small process beside each worker that kills the process groups of the worker's
 * shell tasks when the worker dies, even by SIGKILL, so a task never runs on unsupervised while
 * its node runs again elsewhere after the lease. It learns the groups over a pipe from the worker
 * and acts when that pipe closes, which the kernel does for any death of the worker.
 *
 * It is spawned on the first shell task only (a worker that runs none pays nothing), `detached`
 * so a terminal's Ctrl-C reaches the worker but not the reaper, and unreferenced so it never
 * keeps the worker's event loop alive. Its source is inline (`node -e`) so it runs the same from
 * src under tsx/vitest and from dist.
 */
import { type ChildProcess, spawn } from "node:child_process";

/** Lines `+pgid` / `-pgid` on stdin; at EOF: SIGTERM every group, SIGKILL within 1 s, exit. */
const REAPER_SOURCE = `
const groups = new Set();
let pending = "";
const alive = (g) => { try { process.kill(-g, 0); return true; } catch { return false; } };
const signalAll = (sig) => { for (const g of groups) { try { process.kill(-g, sig); } catch {} } };
process.stdin.on("data", (chunk) => {
  pending += chunk;
  let end;
  while ((end = pending.indexOf("\\n")) >= 0) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    const group = Number(line.slice(1));
    if (!(group > 1)) continue;
    if (line[0] === "+") groups.add(group); else groups.delete(group);
  }
});
process.stdin.on("end", () => {
  signalAll("SIGTERM");
  const started = Date.now();
  const poll = setInterval(() => {
    for (const g of groups) if (!alive(g)) groups.delete(g);
    if (groups.size > 0 && Date.now() - started < 900) return;
    signalAll("SIGKILL");
    clearInterval(poll);
    process.exit(0);
  }, 50);
});
process.stdin.on("error", () => {});
`;

let reaper: ChildProcess | undefined;

function reaperProcess(): ChildProcess {
  if (reaper && reaper.exitCode === null && reaper.stdin?.writable) return reaper;
  const env = { ...process.env };
  // A loader given to the worker (tsx under vitest) is not needed by plain JavaScript.
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ["-e", REAPER_SOURCE], {
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
    env,
  });
  child.unref();
  const stdin = child.stdin!;
  (stdin as unknown as { unref?: () => void }).unref?.();
  // The reaper gone (killed by someone): the next shell task starts another.
  stdin.on("error", () => undefined);
  child.on("exit", () => {
    if (reaper === child) reaper = undefined;
  });
  child.on("error", () => {
    if (reaper === child) reaper = undefined;
  });
  reaper = child;
  return child;
}

/** Hands a task's process group to the reaper; the returned function takes it back at the task's end. */
export function superviseGroup(pgid: number): () => void {
  const child = reaperProcess();
  child.stdin!.write(`+${pgid}\n`);
  return () => {
    if (child.stdin?.writable) child.stdin.write(`-${pgid}\n`);
  };
}
