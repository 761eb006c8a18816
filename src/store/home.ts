/** Where weft keeps its files: WEFT_HOME, else the user's data directory (env-paths). */
import { join } from "node:path";
import envPaths from "env-paths";

export function weftHome(env: Record<string, string | undefined>): string {
  return env.WEFT_HOME && env.WEFT_HOME !== ""
    ? env.WEFT_HOME
    : envPaths("weft", { suffix: "" }).data;
}

export interface EmbeddedPaths {
  dir: string;
  socket: string;
  pidfile: string;
  config: string;
  log: string;
  lock: string;
}

export function embeddedPaths(home: string): EmbeddedPaths {
  const dir = join(home, "redis");
  return {
    dir,
    socket: join(dir, "redis.sock"),
    pidfile: join(dir, "redis.pid"),
    config: join(dir, "redis.conf"),
    log: join(dir, "redis.log"),
    lock: join(dir, "start.lock"),
  };
}
