/**
 * Dead letters, for the CLI (`weft dlq`) and the TUI's dead-letter view alike: requeueing one
 * is a retry of its run (its failed and unfinished nodes run again on the same version, and the
 * run's letters leave the list), refused when there is no such letter; purging drops one.
 */
import type { Engine } from "../../engine/index.js";
import { type DeadLetter, NotFoundError, refusal } from "../../store/index.js";

export type { DeadLetter } from "../../store/index.js";

/** There is no letter for that run (or that node of it). */
export class DeadLetterNotFound extends NotFoundError {
  override name = "DeadLetterNotFound";
}

export interface Requeued {
  run: string;
  attempt: number;
  rerun: string[];
}

/**
 * Requeues the letter of `node` of `run` (any of the run's letters when `node` is undefined):
 * the one code path behind `weft dlq requeue` and the view's `r`.
 */
export async function requeueDeadLetter(
  engine: Engine,
  run: string,
  node?: string,
): Promise<Requeued> {
  const found =
    node === undefined
      ? (await engine.deadLetters.nodesOf(run)).length > 0
      : (await engine.deadLetters.get(run, node)) !== undefined;
  if (!found)
    throw new DeadLetterNotFound(
      `no dead letter for ${node === undefined ? "" : `node ${node} of `}run ${run}`,
    );
  const { attempt, rerun } = await engine.retryRun(run, {});
  return { run, attempt, rerun };
}

export interface LetterList {
  /** Newest first, at most the limit asked for. */
  letters: DeadLetter[];
  /** How many there are in all. */
  total: number;
}

/** What the dead-letter view does: read the list, requeue a letter, purge one. */
export class DeadLetterSession {
  constructor(
    private readonly engine: Engine,
    /** The Redis ACL user weft acts as: a role may not retry runs (see store/acl.ts). */
    private readonly aclUser: string | undefined,
    /** Drives a requeued run from this process when no worker serves its queues. */
    private readonly drive: (run: string) => Promise<boolean>,
  ) {}

  async list(limit: number): Promise<LetterList> {
    const [letters, total] = await Promise.all([
      this.engine.deadLetters.list(limit),
      this.engine.deadLetters.count(),
    ]);
    return { letters, total: Math.max(total, letters.length) };
  }

  /** Requeues the letter and says what runs again. */
  async requeue(letter: Pick<DeadLetter, "run" | "node">): Promise<string> {
    this.allow();
    const { run, attempt, rerun } = await requeueDeadLetter(this.engine, letter.run, letter.node);
    await this.drive(run);
    const nodes = `${rerun.slice(0, 4).join(", ")}${rerun.length > 4 ? ", …" : ""}`;
    return `requeued ${letter.node} of run ${run}: attempt ${attempt} reruns ${nodes}`;
  }

  /** Drops the letter (the run stays as it is); says so, or that it was gone already. */
  async purge(letter: Pick<DeadLetter, "run" | "node">): Promise<string> {
    this.allow();
    const n = await this.engine.purgeDeadLetters({ run: letter.run, nodes: [letter.node] });
    return n === 0
      ? `the letter of ${letter.node} was gone already`
      : `purged the dead letter of ${letter.node} (run ${letter.run})`;
  }

  /** Requeueing and purging are what `weft dlq` allows a role that may retry runs. */
  private allow(): void {
    const refused = refusal(this.aclUser, "retry runs");
    if (refused) throw new Error(refused);
  }
}
