/** The most [start, end) intervals that overlap at one time (touching is not overlapping). */
export function maxOverlap(intervals: { start: number; end: number }[]): number {
  const points = intervals.flatMap((i) => [
    [i.start, 1],
    [i.end, -1],
  ]);
  // An end before a start at the same time.
  points.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let now = 0;
  let most = 0;
  for (const [, d] of points) {
    now += d!;
    most = Math.max(most, now);
  }
  return most;
}
