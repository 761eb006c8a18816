import type { RunEvents } from "../store/index.js";

const LOG_CAP = 256 * 1024;

/** A node's output, appended to Redis as it comes (every 250 ms), capped at LOG_CAP bytes. */
export class NodeLog {
  private pending = "";
  private written = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly events: RunEvents,
    private readonly run: string,
    private readonly node: string,
  ) {}

  write(text: string) {
    if (this.written + this.pending.length >= LOG_CAP) return;
    this.pending += text.slice(0, LOG_CAP - this.written - this.pending.length);
    this.timer ??= setTimeout(() => this.flush(), 250);
  }

  private flush(): Promise<unknown> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === "") return this.flushing;
    const chunk = this.pending;
    this.pending = "";
    this.written += chunk.length;
    this.flushing = this.flushing
      .then(() => this.events.appendLog(this.run, this.node, chunk))
      .catch(() => undefined);
    return this.flushing;
  }

  close(): Promise<unknown> {
    return this.flush();
  }
}
