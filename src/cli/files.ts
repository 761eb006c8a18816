/** Turning the paths a user typed into workflow files, with a clear error for each that can't be read. */
import { readdirSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { DEFAULT_MAX_BYTES, InputFileError, readInputFile } from "../config/input-file.js";
import { type LoadOptions, type LoadResult, loadWorkflowBytes } from "../spec/index.js";
import { CliError, EXIT } from "./io.js";

const WORKFLOW_FILE = /\.ya?ml$/i;

/** Files as given, and the YAML files below any directory given (sorted, hidden ones skipped). */
export function expandPaths(paths: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const full = resolve(cwd, p);
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch (cause) {
      throw new CliError(`${p}: ${describeIoError(cause)}`, EXIT.unreadable);
    }
    if (!isDir) {
      out.push(p);
      continue;
    }
    const found = walk(full).filter((f) => WORKFLOW_FILE.test(f));
    if (found.length === 0)
      throw new CliError(`${p}: no .yaml or .yml files in this directory`, EXIT.unreadable);
    out.push(...found.map((f) => (isAbsolute(p) ? f : relative(cwd, f) || f)));
  }
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith("."))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

export function loadFile(
  file: string,
  cwd: string,
  options: LoadOptions = {},
  maxBytes: number = DEFAULT_MAX_BYTES,
): LoadResult {
  return loadWorkflowBytes(readGivenFile(file, cwd, maxBytes), file, options);
}

/** A file the user named, read whole (regular files only, at most `maxBytes`), or a CliError. */
export function readGivenFile(file: string, cwd: string, maxBytes = DEFAULT_MAX_BYTES): Buffer {
  try {
    return readInputFile(resolve(cwd, file), file, maxBytes);
  } catch (cause) {
    if (cause instanceof InputFileError) throw new CliError(cause.message, EXIT.unreadable);
    throw new CliError(`${file}: ${describeIoError(cause)}`, EXIT.unreadable);
  }
}

export function describeIoError(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return (cause as Error).message;
}
