/**
 * `--max-bytes N` on the commands that read files. Kept apart from files.ts so that main.ts,
 * which builds every command's options, does not load the spec (YAML, CEL) to parse it.
 */
import { InvalidArgumentError, Option } from "commander";
import { LARGEST_MAX_BYTES } from "../config/input-file.js";

/** A whole number of bytes, at most what the YAML reader takes at all. */
export function parseMaxBytes(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError("give a whole number of bytes, e.g. --max-bytes 1048576");
  if (n > LARGEST_MAX_BYTES)
    throw new InvalidArgumentError(`weft reads files of at most ${LARGEST_MAX_BYTES} bytes`);
  return n;
}

export const maxBytesOption = () =>
  new Option("--max-bytes <n>", "read files of at most this many bytes (default 8 MiB)").argParser(
    parseMaxBytes,
  );
