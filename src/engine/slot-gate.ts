/**
 * A worker's slots and its one change signal: how many nodes run here (or are on their way),
 * whether it is stopping, and a way to wait until either changes.
 */
export class SlotGate {
  private active = 0;
  private stoppingNow = false;
  private waiters: (() => void)[] = [];
  private onStop: () => void = () => undefined;
  /** Resolves when the worker starts stopping. */
  readonly stopped = new Promise<void>((resolve) => {
    this.onStop = resolve;
  });

  constructor(private readonly concurrency: number) {}

  get running(): number {
    return this.active;
  }

  get stopping(): boolean {
    return this.stoppingNow;
  }

  get free(): number {
    return this.stoppingNow ? 0 : Math.max(0, this.concurrency - this.active);
  }

  take(n: number): void {
    this.active += n;
  }

  give(n: number): void {
    this.active -= n;
    this.changed();
  }

  stop(): void {
    this.stoppingNow = true;
    this.onStop();
    this.changed();
  }

  /** Wakes whoever waits for a slot, an exchange or a stop. */
  changed(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves at the next change, or after `ms`. */
  nextChange(ms?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
