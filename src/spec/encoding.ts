/** Bytes to text: UTF-8 only, with the line and column of the first byte that is not. */
import { READ_LIMITS, type ReadProblem } from "./source.js";

export type Decoded = { ok: true; text: string } | { ok: false; problem: ReadProblem };

/** UTF-8 with a clear finding (line and column of the first bad byte) when it is not. */
export function decodeUtf8(bytes: Uint8Array): Decoded {
  if (bytes.length > READ_LIMITS.fileBytes) {
    return {
      ok: false,
      problem: {
        severity: "error",
        code: "E_FILE_TOO_LARGE",
        line: 1,
        col: 1,
        message: `the file is ${bytes.length} bytes; weft reads workflow files of at most ${READ_LIMITS.fileBytes} bytes`,
        hint: "split it into several files",
      },
    };
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = new TextDecoder("utf-8").decode(bytes.subarray(0, bad));
    const lines = before.split("\n");
    return {
      ok: false,
      problem: {
        severity: "error",
        code: "E_ENCODING",
        line: lines.length,
        col: (lines.at(-1)?.length ?? 0) + 1,
        message: `the file is not valid UTF-8 (byte 0x${bytes[bad]?.toString(16).padStart(2, "0")} at offset ${bad})`,
        hint: "save the file as UTF-8",
      },
    };
  }
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80 ? 0 : b >> 5 === 0b110 ? 1 : b >> 4 === 0b1110 ? 2 : b >> 3 === 0b11110 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return i;
}
