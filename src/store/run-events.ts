/**
 * Reading a run's event stream and its nodes' logs: history, the latest entry, and one follower
 * (XREAD BLOCK on a connection of its own) that the CLI's watch, events and run --wait and the
 * TUI's run session all use.
 */
import { entryEvents, isRunLevel, type RunEvent } from "../model/run-model.js";
import { clientOf, type StoreHandle } from "./handle.js";
import type { StoreKeys } from "./keys.js";

type StreamReply = [string, [string, string[]][]][] | null;

/** How many entries one read of a follower takes at most. */
const FOLLOW_COUNT = 5_000;

export interface FollowHandlers {
  /** Events of the entries read, in order, and the id of the last entry: "stop" ends following. */
  onEvents(events: RunEvent[], last: string): undefined | "stop";
  /** A wait ended with nothing new: "stop" ends following (a caller checks the run here). */
  onIdle?(): Promise<undefined | "stop"> | undefined | "stop";
  onError?(error: Error): void;
  /**
   * "entry": `onEvents` is called once per stream entry (one transition script), as a line
   * printer wants it; "batch" (the default): once per read, as a screen that redraws wants it.
   */
  split?: "entry" | "batch";
}

export interface Follower {
  stop(): void;
  /** Settles once following has ended (stopped, told to stop, or an error). */
  done: Promise<void>;
}

export class RunEvents {
  constructor(
    private readonly handle: StoreHandle,
    private readonly keys: StoreKeys,
  ) {}

  private get redis() {
    return clientOf(this.handle);
  }

  /** The id of the run's latest entry ("0" when it has none): following from it misses nothing. */
  async lastId(id: string): Promise<string> {
    const last = await this.redis.xrevrange(this.keys.run(id).events, "+", "-", "COUNT", 1);
    return last[0]?.[0] ?? "0";
  }

  /** The events after entry `after`, without waiting, and the last entry's id. */
  async read(id: string, after = "0"): Promise<{ events: RunEvent[]; last: string }> {
    const reply = (await this.redis.xread(
      "STREAMS",
      this.keys.run(id).events,
      after,
    )) as StreamReply;
    return eventsOf(reply, after);
  }

  /** Every event of one node, oldest first. */
  async history(id: string, node: string): Promise<RunEvent[]> {
    const entries = await this.redis.xrange(this.keys.run(id).events, "-", "+");
    const history: RunEvent[] = [];
    for (const [, flat] of entries)
      for (const event of entryEvents(flat)) if (event.node === node) history.push(event);
    return history;
  }

  /** The latest "run:retrying" entry among the recent ones, from that event on. */
  async lastRetry(id: string): Promise<{ id: string; events: RunEvent[] } | undefined> {
    const recent = await this.redis.xrevrange(this.keys.run(id).events, "+", "-", "COUNT", 500);
    for (const [entryId, flat] of recent) {
      const events = entryEvents(flat);
      const at = events.findIndex((e) => isRunLevel(e) && e.status === "run:retrying");
      if (at >= 0) return { id: entryId, events: events.slice(at) };
    }
    return undefined;
  }

  /**
   * Follows the run's stream from entry `after` on a connection of its own, waiting up to
   * `blockMs` per read, handing each batch of events to `onEvents` as it arrives.
   */
  follow(id: string, after: string, handlers: FollowHandlers, blockMs = 500): Follower {
    const reader = clientOf(this.handle.duplicate());
    const key = this.keys.run(id).events;
    let stopped = false;
    let last = after;
    const done = (async () => {
      while (!stopped) {
        try {
          const reply = (await reader.xread(
            "COUNT",
            FOLLOW_COUNT,
            "BLOCK",
            blockMs,
            "STREAMS",
            key,
            last,
          )) as StreamReply;
          if (stopped) break;
          const read = eventsOf(reply, last);
          if (read.entries.length > 0) {
            const groups =
              handlers.split === "entry"
                ? read.entries
                : [{ id: read.last, events: read.entries.flatMap((e) => e.events) }];
            let told: undefined | "stop";
            for (const group of groups) {
              last = group.id;
              told = handlers.onEvents(group.events, last);
              if (told === "stop") break;
            }
            if (told === "stop") break;
          } else if (!reply && (await handlers.onIdle?.()) === "stop") break;
        } catch (cause) {
          if (!stopped) handlers.onError?.(cause as Error);
          break;
        }
      }
      stopped = true;
      reader.disconnect();
    })();
    return {
      stop: () => {
        if (stopped) return;
        stopped = true;
        reader.disconnect();
      },
      done,
    };
  }

  /** A node's log as written so far (null: nothing yet). */
  log(id: string, node: string): Promise<string | null> {
    return this.redis.get(this.keys.run(id).log(node));
  }

  /** Adds output to a node's log (the caller caps it). */
  async appendLog(id: string, node: string, chunk: string): Promise<void> {
    await this.redis.append(this.keys.run(id).log(node), chunk);
  }
}

function eventsOf(
  reply: StreamReply,
  after: string,
): { entries: { id: string; events: RunEvent[] }[]; events: RunEvent[]; last: string } {
  const entries: { id: string; events: RunEvent[] }[] = [];
  let last = after;
  for (const [, list] of reply ?? [])
    for (const [entryId, flat] of list) {
      last = entryId;
      entries.push({ id: entryId, events: entryEvents(flat) });
    }
  return { entries, events: entries.flatMap((e) => e.events), last };
}
