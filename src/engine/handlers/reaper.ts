/**
 * The reaper: a small process beside each worker that kills the process groups of the worker's
 * shell tasks when the worker dies, even by SIGKILL, so a task never runs on unsupervised while
 * its node runs again elsewhere after the lease. It learns the groups over a pipe from the worker
 * and acts when that pipe closes, which the kernel does for any death of the worker.
 *
 * It is spawned on the first shell task only (a worker that runs none pays nothing), `detached`
 * so a terminal's Ctrl-C reaches the worker but not the reaper, and unreferenced so it never
 * keeps the worker's event loop alive. It is a few lines of /bin/sh, inline, so it runs the same
 * from src under tsx/vitest and from dist.
 */
import { type ChildProcess, spawn } from "node:child_process";

/**
 * Lines `+pgid` / `-pgid` on stdin; at EOF: SIGTERM every group, SIGKILL after at most 0.9 s,
 * exit. A POSIX shell script, not Node: it starts in a millisecond even on a loaded machine,
 * where a second Node process could take longer to start than the 2 s it has to act.
 */
const REAPER_SCRIPT = `
trap '' INT HUP
groups=" "
while read -r line; do
  case "$line" in
    +*) groups="$groups\${line#+} " ;;
    -*) kept=" "
        for g in $groups; do [ "$g" = "\${line#-}" ] || kept="$kept$g "; done
        groups="$kept" ;;
  esac
done
for g in $groups; do kill -TERM -"$g" 2>/dev/null; done
for tick in 1 2 3 4 5 6 7 8 9; do
  alive=""
  for g in $groups; do kill -0 -"$g" 2>/dev/null && alive=1; done
  [ -z "$alive" ] && exit 0
  sleep 0.1
done
for g in $groups; do kill -KILL -"$g" 2>/dev/null; done
`;

let reaper: ChildProcess | undefined;

function reaperProcess(): ChildProcess {
  if (reaper && reaper.exitCode === null && reaper.stdin?.writable) return reaper;
  const child = spawn("/bin/sh", ["-c", REAPER_SCRIPT], {
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
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
