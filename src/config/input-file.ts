/**
 * Reading a file a user named (a workflow file, a params file, a theme or keymap): regular files only, and never
 * more than a limit. The file is opened without blocking (a FIFO would wait for a writer), its
 * kind and size come from the open descriptor, and at most limit+1 bytes are read, so a file
 * that grows meanwhile is still caught.
 */

import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from "node:fs";
import { binaryUnits } from "../spec/index.js";

export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** The most `--max-bytes` may allow: the YAML reader's own limit (spec's READ_LIMITS.fileBytes). */
export const LARGEST_MAX_BYTES = 16 * 1024 * 1024;

/** A file weft will not read, with a one-line reason that names it. */
export class InputFileError extends Error {}

export function readInputFile(
  path: string,
  shownAs: string,
  maxBytes: number = DEFAULT_MAX_BYTES,
): Buffer {
  // A first look by name refuses most cases before anything is opened (opening a device can
  // have effects of its own); the descriptor's own fstat below is the one that counts.
  refuseUnlessRegular(statSync(path), shownAs, maxBytes);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    refuseUnlessRegular(fstatSync(fd), shownAs, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
    }
    if (total > maxBytes)
      throw new InputFileError(
        `${shownAs}: more than the ${describeLimit(maxBytes)} limit (--max-bytes)`,
      );
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

function refuseUnlessRegular(stats: Stats, shownAs: string, maxBytes: number): void {
  if (!stats.isFile())
    throw new InputFileError(`${shownAs}: is ${kindOf(stats)}, not a regular file`);
  if (stats.size > maxBytes) {
    throw new InputFileError(
      `${shownAs}: ${stats.size} bytes, more than the ${describeLimit(maxBytes)} limit (--max-bytes)`,
    );
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "neither a file nor a directory";
}

/** `8 MiB`, `64 KiB`, `100-byte`: as the limit was most likely written. */
export function describeLimit(bytes: number): string {
  return binaryUnits(bytes) ?? `${bytes}-byte`;
}
