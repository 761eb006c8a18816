/** `weft redis status|stop|path`: the embedded server weft starts when REDIS_URL is unset. */
import {
  connectTo,
  embeddedPaths,
  embeddedStatus,
  maskUrl,
  serverInfo,
  stopEmbeddedRedis,
  weftHome,
} from "../../store/index.js";
import { CliError, type CliIo, EXIT } from "../io.js";
import { asCliError } from "../store-session.js";

export async function redisCommand(action: string, io: CliIo): Promise<number> {
  const home = weftHome(io.env);
  const external = io.env.REDIS_URL && io.env.REDIS_URL !== "" ? io.env.REDIS_URL : undefined;
  if (action === "path") {
    io.stdout.write(`${embeddedPaths(home).dir}\n`);
    return EXIT.ok;
  }
  if (action === "stop") {
    if (external)
      throw new CliError(
        `REDIS_URL is set (${maskUrl(external)}): weft does not manage that server`,
      );
    io.stdout.write(
      (await stopEmbeddedRedis(home))
        ? "stopped the embedded Redis (its data is kept)\n"
        : "the embedded Redis was not running\n",
    );
    return EXIT.ok;
  }
  if (action !== "status")
    throw new CliError(`unknown action \`${action}\`: use status, stop or path`);
  const url = external ?? `unix://${embeddedPaths(home).socket}`;
  const status = external ? undefined : await embeddedStatus(home);
  if (status && !status.running) {
    io.stdout.write(
      `embedded Redis: not running (it starts with the next weft command)\n  data: ${status.paths.dir}\n`,
    );
    return EXIT.ok;
  }
  try {
    const conn = await connectTo(url);
    try {
      const info = await serverInfo(conn.redis);
      const field = (k: string) => new RegExp(`^${k}:(.*)$`, "m").exec(info)?.[1]?.trim() ?? "?";
      const lines = [
        external
          ? `Redis at ${conn.url} (REDIS_URL)`
          : `embedded Redis: running, pid ${status?.pid ?? "?"}`,
        `  version: ${field("redis_version")}`,
        `  memory: ${field("used_memory_human")}`,
        `  keys: ${/keys=(\d+)/.exec(field("db0"))?.[1] ?? "0"}`,
      ];
      if (status)
        lines.push(
          `  socket: ${status.paths.socket}`,
          `  data: ${status.paths.dir} (AOF ${field("aof_enabled") === "1" ? "on" : "off"})`,
        );
      io.stdout.write(`${lines.join("\n")}\n`);
    } finally {
      await conn.close();
    }
  } catch (cause) {
    throw asCliError(cause);
  }
  return EXIT.ok;
}
