/**
 * A run's event stream: each transition script appends one entry, "t" (ms) and then, per node
 * change, "node" id "status" s and any extra fields (attempt, worker, error, due, ...). A run
 * event has node "" and status "run:<status>".
 */
export type RunEvent = Record<string, string> & { t: string; node: string; status: string };

/** The events of one stream entry, in order, each with the entry's time. */
export function entryEvents(flat: readonly string[]): RunEvent[] {
  const events: RunEvent[] = [];
  let t = "";
  let current: Record<string, string> | undefined;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const field = flat[i]!;
    const value = flat[i + 1]!;
    if (field === "t" && !current) t = value;
    else if (field === "node") {
      current = { t, node: value, status: "" };
      events.push(current as RunEvent);
    } else if (current) current[field] = value;
  }
  return events;
}
