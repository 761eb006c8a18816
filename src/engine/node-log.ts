import type { RunEvents } from "../store/index.js";

/** Room for weft's own lines (a cut noted) beyond what the handler's caps let through. */
const MARGIN = 4096;

/**
 * A node's output, appended to Redis as it comes (every 250 ms), capped at `cap` characters
 * (the node's stdout and stderr caps together, see shell.ts); a cut says so in the log.
 */
export class NodeLog {
  private pending = "";
  private written = 0;
  private cut = false;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly events: RunEvents,
    private readonly run: string,
    private readonly node: string,
    private readonly cap: number,
  ) {}

  write(text: string) {
    if (this.cut) return;
    const room = this.cap + MARGIN - this.written - this.pending.length;
    if (text.length <= room) this.pending += text;
    else {
      this.cut = true;
      this.pending += `${text.slice(0, room)}\n[weft] the log is cut here: it reached its cap\n`;
    }
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
