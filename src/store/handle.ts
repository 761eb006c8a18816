/**
 * A Redis connection as the layers above the store hold it: something to hand back to store
 * functions (and to duplicate for a blocking reader), never to send commands on. Only src/store
 * turns it back into a client, so only src/store talks to Redis.
 */
import type { RedisClient } from "./connect.js";

export interface StoreHandle {
  /** A new connection to the same Redis (blocking reads hold theirs while they wait). */
  duplicate(): StoreHandle;
  /** Closes it at once (a blocking read in flight ends with an error). */
  disconnect(): void;
}

/** The client behind a handle: only for src/store. */
export const clientOf = (handle: StoreHandle): RedisClient => handle as unknown as RedisClient;
