/** A byte count the way a limit is usually written (`8 MiB`, `64 KiB`), when it is a whole number of them. */
export function binaryUnits(bytes: number): string | undefined {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return undefined;
}
