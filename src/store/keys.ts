/**
 * The only place Redis key strings are built. Registry keys share the `{reg}` hash tag so one
 * Lua script can touch them all on Redis Cluster; each run's keys will share `{run:<id>}`.
 */
export interface WorkflowKeys {
  /** Hash: name, current version, content hash, created/updated (when, who), node count, deleted. */
  meta: string;
  /** Hash: version number -> canonical JSON (immutable). */
  versions: string;
  /** Hash: version number -> version record JSON (hash, parent, author, host, time, message). */
  info: string;
  /** Hash: content hash -> the latest version with that content. */
  hashes: string;
}

/** Every key of one run shares the `{run:<id>}` hash tag: each transition is one Lua script in one slot. */
export interface RunKeys {
  /** Hash: the run's fields (workflow, version, params, status, times, counters, queues). */
  meta: string;
  /** Hash: node -> its queue, a tab, and the targets of its outgoing edges (static). */
  graph: string;
  /** Hash: node -> "status,attempt,token,pending,taken,start,end" (one record, read and written at once). */
  nodes: string;
  outputs: string;
  errors: string;
  /** Zset: running node -> lease deadline (ms). */
  leases: string;
  /** Zset: node waiting to retry -> due time (ms). */
  delayed: string;
  /** Stream: one entry per transition script, holding each node change it made. */
  events: string;
  /**
   * Hash: node -> the worker that last claimed it, and `lost:<node>` -> how many of its attempts
   * were lost with their worker (an expired lease).
   */
  holders: string;
  /** List: the tasks that succeeded and have a compensation, in the order they finished. */
  saga: string;
  ready(queue: string): string;
  log(node: string): string;
  /** Hash: node -> what was cut from its last attempt's output (written by the worker). */
  notes: string;
  /** Hash: node -> "1" when its last attempt's output came from the cache (written by the worker). */
  cached: string;
  /** String: a task's output kept for this run only (`cache: {scope: run}`), by cache key. */
  cache(hash: string): string;
  /** The keys every run script takes, in the order of lua/includes/run.lua. */
  scriptKeys(queues: readonly string[]): string[];
}

export interface StoreKeys {
  prefix: string;
  /** Zset: workflow name -> last update (ms). */
  workflowIndex: string;
  /** Stream: who did what, when, from where (written as users that are not weft roles). */
  audit: string;
  /** Hash: entry id -> entry JSON, appended (HSETNX only) by one weft role (see acl.ts). */
  auditBy(role: string): string;
  /** Hash: role -> password of its ACL user; only weft-admin can read it. */
  aclSecrets: string;
  workflow(name: string): WorkflowKeys;
  run(id: string): RunKeys;
  /** String: a task's output kept for every run (`cache: {scope: global}`), by cache key. */
  cache(hash: string): string;
  /**
   * List of run ids with ready work on a queue: hints only, the run's own keys decide. Runs of a
   * priority other than 0 have a list (a lane) of their own ("#" is never in a queue name).
   */
  hints(queue: string, priority?: number): string;
  /** String: the last due time (ms) a workflow's schedule line `index` was fired for. */
  scheduleLast(workflow: string, index: number): string;
  /** String, expiring: set once by the one scheduler that fires that line's tick `due`. */
  scheduleTick(workflow: string, index: number, due: number): string;
  /** Zset: "run|node" -> when the node failed for good (the dead-letter list, newest last). */
  deadLetters: string;
  /** Hash: "run|node" -> the dead letter (JSON: run, workflow, version, node, error, attempts, at). */
  deadLetter: string;
  /** A workflow's `limits.maxConcurrentRuns`: its admitted runs (zset) and those waiting (list). */
  runGate(workflow: string): { running: string; waiting: string };
  /**
   * A node's `concurrency` across its workflow's runs: "run|record" holding places (zset, until
   * when) and waiting (list). Each node its own slot.
   */
  nodeGate(workflow: string, node: string): { running: string; waiting: string };
  /** Zset: active run id -> when it next needs a look (retries due, leases to check). */
  activeRuns: string;
  /** Zset: run id -> created (ms), for listing. */
  runIndex: string;
  /** Zset: "worker id|queue,queue" -> last heartbeat (ms). */
  workers: string;
  runsOfWorkflow(name: string): string;
  /** String: a designer's unsaved edit of one workflow, by one user (JSON, expires). */
  draft(user: string, workflow: string): string;
  /** String: computed canvas positions of one version's content (JSON), keyed by hash and options. */
  layout(hash: string, options: string): string;
}

export const DEFAULT_PREFIX = "weft";

/** How many runs' key sets one key builder keeps built. */
const RUN_KEYS_KEPT = 2_048;

export function storeKeys(prefix: string = DEFAULT_PREFIX): StoreKeys {
  const registry = `${prefix}:{reg}`;
  const runKeys = new Map<string, RunKeys>();
  const buildRunKeys = (id: string): RunKeys => {
    const base = `${prefix}:{run:${id}}`;
    const keys = {
      meta: `${base}:meta`,
      graph: `${base}:graph`,
      nodes: `${base}:nodes`,
      outputs: `${base}:outputs`,
      errors: `${base}:errors`,
      leases: `${base}:leases`,
      delayed: `${base}:delayed`,
      events: `${base}:events`,
      holders: `${base}:holders`,
      saga: `${base}:saga`,
    };
    return {
      ...keys,
      ready: (queue: string) => `${base}:ready:${queue}`,
      log: (node: string) => `${base}:log:${node}`,
      notes: `${base}:notes`,
      cached: `${base}:cached`,
      cache: (hash: string) => `${base}:cache:${hash}`,
      scriptKeys: (queues: readonly string[]) => [
        ...Object.values(keys),
        ...queues.map((q) => `${base}:ready:${q}`),
      ],
    };
  };
  return {
    prefix,
    workflowIndex: `${registry}:workflows`,
    audit: `${registry}:audit`,
    auditBy: (role) => `${registry}:audit:by:${role}`,
    aclSecrets: `${prefix}:{acl}:secrets`,
    workflow: (name) => ({
      meta: `${registry}:wf:${name}`,
      versions: `${registry}:wf:${name}:versions`,
      info: `${registry}:wf:${name}:info`,
      hashes: `${registry}:wf:${name}:hashes`,
    }),
    run: (id) => {
      let cached = runKeys.get(id);
      if (cached) return cached;
      cached = buildRunKeys(id);
      // Workers ask for the keys of the same few runs over and over: keep the recent ones.
      if (runKeys.size >= RUN_KEYS_KEPT) runKeys.delete(runKeys.keys().next().value!);
      runKeys.set(id, cached);
      return cached;
    },
    // Each key its own slot: no one slot takes every cache read of a cluster.
    cache: (hash) => `${prefix}:{cache:${hash}}`,
    hints: (queue, priority = 0) =>
      priority === 0
        ? `${prefix}:{sched}:hints:${queue}`
        : `${prefix}:{sched}:hints:${queue}#${priority}`,
    activeRuns: `${prefix}:{sched}:active`,
    runGate: (workflow) => ({
      running: `${prefix}:{gate:${workflow}}:running`,
      waiting: `${prefix}:{gate:${workflow}}:waiting`,
    }),
    nodeGate: (workflow, node) => ({
      running: `${prefix}:{limit:${workflow}/${node}}:running`,
      waiting: `${prefix}:{limit:${workflow}/${node}}:waiting`,
    }),
    deadLetters: `${prefix}:{dlq}:index`,
    deadLetter: `${prefix}:{dlq}:entries`,
    scheduleLast: (workflow, index) => `${prefix}:{sched}:schedule:${workflow}:${index}`,
    scheduleTick: (workflow, index, due) =>
      `${prefix}:{sched}:schedule:${workflow}:${index}:fired:${due}`,
    runIndex: `${prefix}:{runs}:index`,
    workers: `${prefix}:{sched}:workers`,
    runsOfWorkflow: (name) => `${prefix}:{runs}:wf:${name}`,
    draft: (user, workflow) => `${registry}:draft:${user}:${workflow}`,
    layout: (hash, options) => `${prefix}:{layout}:${hash}:${options}`,
  };
}
