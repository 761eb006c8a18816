/** Redis calls a worker makes without waiting on them, tracked so that stopping can wait for them. */
export class Background {
  private readonly pending = new Set<Promise<unknown>>();

  /** Tracks `work`; its failure is the caller's to handle, here it is only waited for. */
  add(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  get idle(): boolean {
    return this.pending.size === 0;
  }

  settled(): Promise<unknown> {
    return Promise.allSettled([...this.pending]);
  }
}
