/**
 * The workflow registry: workflows saved as immutable, content-addressed versions. A save
 * validates first, stores canonical JSON as version N+1 (or returns the current version when
 * nothing changed), and refuses a save on top of a stale parent. Reads resolve `name`,
 * `name@3` and `name@sha:1a2b3c`.
 */
import {
  checkParams,
  checkWorkflows,
  type Finding,
  hasErrors,
  type ParamProblem,
  parseWorkflowRef,
  type Workflow,
  WorkflowSchema,
} from "../spec/index.js";
import type { Actor } from "./actor.js";
import { auditTarget } from "./audit.js";
import type { RedisClient } from "./connect.js";
import { NotFoundError, StoreError } from "./errors.js";
import { clientOf, type StoreHandle } from "./handle.js";
import type { StoreKeys } from "./keys.js";
import { deleteWorkflowScript, saveWorkflowsScript } from "./scripts.js";

/** The author's order of nodes, edges and parameters: how the workflow reads, not what it is. */
export interface Presentation {
  nodes: string[];
  edges: string[];
  parameters: string[];
}

export interface VersionInfo {
  version: number;
  hash: string;
  parent: number;
  author: string;
  host: string;
  time: number;
  message: string;
  nodes: number;
  presentation?: Presentation;
}

export interface StoredVersion extends VersionInfo {
  name: string;
  canonical: string;
  workflow: Workflow;
  /** The workflow's current version (this one may be older). */
  current: number;
}

export interface WorkflowSummary {
  name: string;
  version: number;
  hash: string;
  nodes: number;
  created: number;
  createdBy: string;
  updated: number;
  updatedBy: string;
}

export interface SavedVersion {
  name: string;
  version: number;
  hash: string;
  created: boolean;
}

/** A workflow used as a template: a pinned version and parameters checked against its schema. */
export type Instance =
  | { ok: true; version: StoredVersion; params: Record<string, unknown> }
  | { ok: false; version: StoredVersion; problems: ParamProblem[] };

export type SaveResult = { ok: true; saved: SavedVersion[] } | { ok: false; findings: Finding[] };

export interface SaveOptions {
  /** Per workflow name: the version the edit started from (0 for a new workflow). */
  parents?: ReadonlyMap<string, number>;
  message?: string;
  action?: "save" | "import";
}

/** Versions never change, so a parsed one is kept (a few hundred, most recently used). */
const VERSION_CACHE_SIZE = 512;

export class WorkflowRegistry {
  private readonly versionCache = new Map<string, StoredVersion>();

  private readonly redis: RedisClient;

  constructor(
    handle: StoreHandle,
    private readonly keys: StoreKeys,
    private readonly actor: Actor,
    private readonly now: () => number = Date.now,
  ) {
    this.redis = clientOf(handle);
  }

  /** Which of `names` exist (and are not deleted). */
  async existing(names: Iterable<string>): Promise<Set<string>> {
    const list = [...new Set(names)];
    if (list.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const name of list) pipeline.hmget(this.keys.workflow(name).meta, "current", "deleted");
    const replies = (await pipeline.exec()) ?? [];
    return new Set(
      list.filter((_, i) => {
        const [current, deleted] = (replies[i]?.[1] ?? []) as (string | null)[];
        return current !== null && current !== undefined && deleted !== "1";
      }),
    );
  }

  /** Saves workflows as one unit: every one is validated and either all are saved or none. */
  async save(workflows: readonly Workflow[], options: SaveOptions = {}): Promise<SaveResult> {
    const names = new Set(workflows.map((w) => w.name));
    const referenced = workflows
      .flatMap((w) =>
        w.nodes.flatMap((n) =>
          n.kind === "subworkflow" ? [parseWorkflowRef(n.workflow)?.name ?? ""] : [],
        ),
      )
      .filter((n) => n !== "" && !names.has(n));
    const inStore = await this.existing(referenced);
    const checked = checkWorkflows(workflows, { storeHas: (name) => inStore.has(name) });
    const findings = checked.flatMap((c) => c.findings);
    if (hasErrors(findings)) return { ok: false, findings };
    const results = await saveWorkflowsScript(
      this.redis,
      {
        index: this.keys.workflowIndex,
        audit: auditTarget(this.keys, this.actor.aclUser).key,
        now: this.now(),
        author: this.actor.user,
        host: this.actor.host,
        message: options.message ?? "",
        auditSpec: auditTarget(this.keys, this.actor.aclUser).spec,
        action: options.action ?? "save",
      },
      checked.map((c) => ({
        name: c.workflow.name,
        canonical: c.canonical,
        hash: c.hash,
        parent: options.parents?.get(c.workflow.name),
        nodes: c.workflow.nodes.length,
        presentation: JSON.stringify(presentationOf(c.workflow)),
        keys: this.keys.workflow(c.workflow.name),
      })),
    );
    return {
      ok: true,
      saved: checked.map((c, i) => ({
        name: c.workflow.name,
        version: results[i]!.version,
        hash: c.hash,
        created: results[i]!.created,
      })),
    };
  }

  /** `name` (current version), `name@3`, or `name@sha:1a2b3c` (a content hash prefix). */
  async get(ref: string): Promise<StoredVersion> {
    const parsed = parseWorkflowRef(ref);
    if (!parsed)
      throw new StoreError(
        `\`${ref}\` is not a workflow reference: write name, name@3 or name@sha:1a2b3c`,
      );
    const keys = this.keys.workflow(parsed.name);
    // A pinned version read before is returned as it was (versions never change); its
    // `current` is then the one seen at that first read.
    const pinned =
      parsed.version !== undefined && /^\d+$/.test(parsed.version)
        ? this.versionCache.get(`${parsed.name}@${parsed.version}`)
        : undefined;
    if (pinned) return pinned;
    const [current, deleted] = await this.redis.hmget(keys.meta, "current", "deleted");
    if (!current) throw new NotFoundError(await this.notFoundMessage(parsed.name));
    let version: number;
    if (parsed.version === undefined) {
      if (deleted === "1")
        throw new NotFoundError(
          `workflow \`${parsed.name}\` was deleted; its versions are kept: read one as \`${parsed.name}@${current}\``,
        );
      version = Number(current);
    } else if (parsed.version.startsWith("sha:")) {
      version = await this.versionByHash(parsed.name, parsed.version.slice(4));
    } else version = Number(parsed.version);
    const cached = this.versionCache.get(`${parsed.name}@${version}`);
    if (cached) return { ...cached, current: Number(current) };
    const [canonical, info] = await Promise.all([
      this.redis.hget(keys.versions, String(version)),
      this.redis.hget(keys.info, String(version)),
    ]);
    if (!canonical || !info)
      throw new NotFoundError(
        `workflow \`${parsed.name}\` has no version ${version} (versions 1 to ${current})`,
      );
    const record = JSON.parse(info) as VersionInfo;
    const workflow = inAuthorsOrder(
      WorkflowSchema.parse(JSON.parse(canonical)),
      record.presentation,
    );
    const stored = { name: parsed.name, canonical, workflow, current: Number(current), ...record };
    if (this.versionCache.size >= VERSION_CACHE_SIZE)
      this.versionCache.delete(this.versionCache.keys().next().value!);
    this.versionCache.set(`${parsed.name}@${version}`, stored);
    return stored;
  }

  private async versionByHash(name: string, prefix: string): Promise<number> {
    const all = await this.redis.hgetall(this.keys.workflow(name).hashes);
    const matches = Object.entries(all).filter(([hash]) => hash.startsWith(prefix));
    if (matches.length === 0)
      throw new NotFoundError(
        `workflow \`${name}\` has no version whose hash starts with ${prefix}`,
      );
    if (matches.length > 1)
      throw new StoreError(
        `hash prefix ${prefix} matches ${matches.length} versions of \`${name}\` (${matches.map(([h, v]) => `v${v} ${h.slice(0, 12)}`).join(", ")}): give more digits`,
      );
    return Number(matches[0]![1]);
  }

  private async notFoundMessage(name: string): Promise<string> {
    const names = await this.redis.zrange(this.keys.workflowIndex, 0, -1);
    const close = names.filter((n) => n.includes(name) || name.includes(n)).slice(0, 3);
    return `no workflow named \`${name}\`${close.length > 0 ? ` (did you mean ${close.map((c) => `\`${c}\``).join(", ")}?)` : ""}; \`weft ls\` lists them`;
  }

  /**
   * Resolves `ref` to one version and checks `params` against its declared parameters,
   * returning every problem at once; a run records the version's name, number and hash.
   */
  async instantiate(ref: string, params: Record<string, unknown>): Promise<Instance> {
    const version = await this.get(ref);
    const checked = checkParams(version.workflow.parameters, params);
    return checked.ok
      ? { ok: true, version, params: checked.params }
      : { ok: false, version, problems: checked.problems };
  }

  /** Every workflow that is not deleted, most recently updated first. */
  async list(): Promise<WorkflowSummary[]> {
    const names = await this.redis.zrevrange(this.keys.workflowIndex, 0, -1);
    if (names.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const name of names) pipeline.hgetall(this.keys.workflow(name).meta);
    const replies = (await pipeline.exec()) ?? [];
    return names.map((name, i) => {
      const m = (replies[i]?.[1] ?? {}) as Record<string, string>;
      return {
        name,
        version: Number(m.current ?? 0),
        hash: m.hash ?? "",
        nodes: Number(m.nodes ?? 0),
        created: Number(m.created ?? 0),
        createdBy: m.createdBy ?? "",
        updated: Number(m.updated ?? 0),
        updatedBy: m.updatedBy ?? "",
      };
    });
  }

  /** Every version of a workflow, oldest first (a deleted workflow's too). */
  async versions(name: string): Promise<VersionInfo[]> {
    const all = await this.redis.hgetall(this.keys.workflow(name).info);
    const versions = Object.values(all).map((v) => {
      const { presentation: _order, ...info } = JSON.parse(v) as VersionInfo;
      return info;
    });
    if (versions.length === 0) throw new NotFoundError(await this.notFoundMessage(name));
    return versions.sort((a, b) => a.version - b.version);
  }

  /** Takes the workflow out of the list; every version stays readable as `name@N`. */
  async remove(name: string): Promise<number> {
    const keys = this.keys.workflow(name);
    const removed = await deleteWorkflowScript(
      this.redis,
      [this.keys.workflowIndex, auditTarget(this.keys, this.actor.aclUser).key, keys.meta],
      {
        now: this.now(),
        who: this.actor.user,
        host: this.actor.host,
        auditSpec: auditTarget(this.keys, this.actor.aclUser).spec,
        name,
      },
    );
    if (removed === 0) throw new NotFoundError(await this.notFoundMessage(name));
    return removed;
  }
}

export function presentationOf(workflow: Workflow): Presentation {
  return {
    nodes: workflow.nodes.map((n) => n.id),
    edges: workflow.edges.map((e) => `${e.from}->${e.to}`),
    parameters: Object.keys(workflow.parameters),
  };
}

/** Canonical JSON sorts everything; the stored presentation puts it back as the author wrote it. */
function inAuthorsOrder(workflow: Workflow, presentation: Presentation | undefined): Workflow {
  if (!presentation) return workflow;
  const rank = (order: unknown) => {
    const list = Array.isArray(order) ? (order as string[]) : [];
    const index = new Map(list.map((key, i) => [key, i]));
    return (key: string) => index.get(key) ?? list.length;
  };
  const node = rank(presentation.nodes);
  const edge = rank(presentation.edges);
  const parameter = rank(presentation.parameters);
  const byRank = <T>(items: T[], key: (item: T) => string, r: (k: string) => number) =>
    [...items].sort((a, b) => r(key(a)) - r(key(b)));
  return {
    ...workflow,
    nodes: byRank(workflow.nodes, (n) => n.id, node),
    edges: byRank(workflow.edges, (e) => `${e.from}->${e.to}`, edge),
    parameters: Object.fromEntries(
      byRank(Object.entries(workflow.parameters), ([k]) => k, parameter),
    ),
  };
}
