/**
 * The leases of the nodes one worker runs: renewed together on one timer (one script per run per
 * tick, however many of its nodes run here), and the renewal's answer aborts a node whose run was
 * stopped (cancelled, failed) or whose attempt was taken back.
 */
import type { RunStore } from "../store/index.js";
import { StopRequest } from "./handlers/index.js";

export interface HeldNode {
  run: string;
  node: string;
  token: number;
  controller: AbortController;
  /** Keeps the node's place under its `concurrency` with the lease. */
  renewPlace?: () => Promise<unknown>;
}

export class LeaseKeeper {
  private readonly held = new Set<HeldNode>();
  private timer: NodeJS.Timeout | undefined;
  private renewing = false;

  constructor(
    private readonly runs: RunStore,
    private readonly leaseMs: number,
    private readonly now: () => number,
    /** Renewing also tells a running node that its run was stopped: twice a second at most. */
    private readonly everyMs = Math.max(50, Math.min(500, Math.floor(leaseMs / 3))),
  ) {}

  hold(node: HeldNode): void {
    this.held.add(node);
    this.timer ??= setInterval(() => void this.renewAll(), this.everyMs);
  }

  drop(node: HeldNode): void {
    this.held.delete(node);
    if (this.held.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private async renewAll(): Promise<void> {
    if (this.renewing) return;
    this.renewing = true;
    try {
      const byRun = new Map<string, HeldNode[]>();
      for (const h of this.held) byRun.set(h.run, [...(byRun.get(h.run) ?? []), h]);
      await Promise.all(
        [...byRun].map(async ([run, nodes]) => {
          try {
            for (const h of nodes) h.renewPlace?.().catch(() => undefined);
            const answer = await this.runs.renew(run, nodes, this.leaseMs, this.now());
            nodes.forEach((h, i) => {
              if (answer === "stopped") h.controller.abort(new StopRequest("the run was stopped"));
              else if (answer === "stopped now")
                h.controller.abort(new StopRequest("the run was stopped at once", 0));
              else if (answer[i] === "stopped")
                h.controller.abort(new StopRequest("the run failed and is being undone"));
              else if (answer[i] === "stopped now")
                h.controller.abort(new StopRequest("the run failed and is being undone", 0));
              else if (answer[i] === "lost")
                // Another worker runs this attempt now: no grace, two copies at once are enough.
                h.controller.abort(new StopRequest("the lease was lost to another worker", 0));
            });
          } catch {
            // Redis unreachable for a moment: the lease may lapse, and the node then runs elsewhere.
          }
        }),
      );
    } finally {
      this.renewing = false;
    }
  }
}
