/** Columns of the list screens. */

/** `s` in `n` columns: cut with `…` when longer, padded when shorter. */
export const cell = (s: string, n: number): string =>
  n <= 0 ? "" : s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n);
