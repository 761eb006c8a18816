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

export interface StoreKeys {
  prefix: string;
  /** Zset: workflow name -> last update (ms). */
  workflowIndex: string;
  /** Stream: who did what, when, from where. */
  audit: string;
  workflow(name: string): WorkflowKeys;
}

export const DEFAULT_PREFIX = "weft";

export function storeKeys(prefix: string = DEFAULT_PREFIX): StoreKeys {
  const registry = `${prefix}:{reg}`;
  return {
    prefix,
    workflowIndex: `${registry}:workflows`,
    audit: `${registry}:audit`,
    workflow: (name) => ({
      meta: `${registry}:wf:${name}`,
      versions: `${registry}:wf:${name}:versions`,
      info: `${registry}:wf:${name}:info`,
      hashes: `${registry}:wf:${name}:hashes`,
    }),
  };
}
