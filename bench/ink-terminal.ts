/** An in-memory terminal for Ink in benchmarks: counts and times frame writes, takes key presses. */
import { EventEmitter } from "node:events";

export class Terminal extends EventEmitter {
  isTTY = true;
  writes = 0;
  /** performance.now() of every write. */
  readonly times: number[] = [];
  onWrite: (() => void) | undefined;
  private waiting: (() => void) | undefined;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (_text: string) => {
    this.writes++;
    this.times.push(performance.now());
    this.onWrite?.();
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
    return true;
  };
  nextWrite(): Promise<void> {
    return new Promise((r) => {
      this.waiting = r;
    });
  }
}

export class Keyboard extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  press(s: string) {
    this.data = s;
    this.emit("readable");
  }
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

/** The most writes in any one-second window. */
export function maxPerSecond(times: readonly number[]): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
