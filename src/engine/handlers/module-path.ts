/**
 * Where module tasks may load code from: the directories in `WEFT_MODULE_PATH` (separated like
 * PATH), by default `./modules` in the worker's working directory. A relative `path` is looked
 * up in each directory in turn; an absolute one must lie inside one. Symlinks are resolved first,
 * so neither `..` nor a link leads out; only a regular file is loaded.
 */
import { realpathSync, statSync } from "node:fs";
import { delimiter, isAbsolute, relative, resolve } from "node:path";
import { HandlerError } from "./types.js";

export function moduleDirectories(env: NodeJS.ProcessEnv = process.env): string[] {
  const listed = (env.WEFT_MODULE_PATH ?? "").split(delimiter).filter((d) => d !== "");
  return (listed.length > 0 ? listed : ["modules"]).map((d) => resolve(d));
}

const inside = (dir: string, file: string): boolean => {
  const rel = relative(dir, file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
};

const real = (path: string): string | undefined => {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
};

/** The real path of the module to load, or a HandlerError saying why it may not be loaded. */
export function resolveModule(path: string, dirs: readonly string[] = moduleDirectories()): string {
  const candidates = isAbsolute(path) ? [path] : dirs.map((d) => resolve(d, path));
  for (const candidate of candidates) {
    const file = real(candidate);
    if (file === undefined) continue;
    const home = dirs.find((d) => {
      const r = real(d);
      return r !== undefined && inside(r, file);
    });
    if (home === undefined) continue;
    if (!statSync(file).isFile())
      throw new HandlerError(`module ${path} is not a regular file`, "module_refused");
    return file;
  }
  throw new HandlerError(
    `module ${path} is not inside the module path (${dirs.join(", ")}): put it there, or add its directory to WEFT_MODULE_PATH`,
    "module_refused",
  );
}
