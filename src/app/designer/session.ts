/**
 * What the designer asks of the store, as one object the screens receive: list, open, save
 * (with conflicts explained by a structural diff), import, export, delete, versions, drafts and
 * cached canvas positions. Screens never touch Redis; tests give it a real store.
 */
import { resolve } from "node:path";
import { InputFileError, readInputFile } from "../../config/input-file.js";
import {
  checkWorkflows,
  diffWorkflows,
  type Finding,
  isEmptyDiff,
  loadWorkflowBytes,
  type Workflow,
  type WorkflowDiff,
  WorkflowSchema,
} from "../../spec/index.js";
import {
  type Action,
  type Actor,
  ConflictError,
  type Draft,
  type DraftStore,
  type LayoutCache,
  NotFoundError,
  refusal,
  type SavedVersion,
  type StoredVersion,
  type VersionInfo,
  type WorkflowRegistry,
  type WorkflowSummary,
} from "../../store/index.js";
import {
  type ImportOutcome,
  importWorkflows,
  versionsForExport,
  writeWorkflowFile,
} from "../workflow-files.js";

export interface DesignerStore {
  registry: WorkflowRegistry;
  drafts: DraftStore;
  layouts: LayoutCache;
  actor: Actor;
}

export interface WorkflowRow extends WorkflowSummary {
  description: string;
  /** The message of the current version, e.g. `imported from examples/daily-etl.yaml`. */
  message: string;
  /** Workflows this one calls: a search for a child finds its parent file too. */
  calls: string[];
}

export type SaveOutcome =
  | { kind: "saved"; saved: SavedVersion[] }
  | { kind: "unchanged"; saved: SavedVersion[] }
  | { kind: "invalid"; findings: Finding[] }
  | { kind: "conflict"; message: string; theirs: StoredVersion; diff: WorkflowDiff };

export interface OpenedWorkflow {
  stored: StoredVersion;
  /** Set when the user left unsaved edits of this workflow behind. */
  draft?: { workflow: Workflow; baseVersion: number; savedAt: number; host: string };
}

/** The keymap commands that need a role's permission, and which. */
const COMMAND_ACTIONS: Partial<Record<string, Action>> = {
  save: "save workflows",
  importFile: "save workflows",
  deleteWorkflow: "delete workflows",
  run: "start runs",
  cancelRun: "cancel runs",
  retryRun: "retry runs",
};

export class DesignerSession {
  constructor(private readonly store: DesignerStore) {}

  get user(): string {
    return this.store.actor.user;
  }

  /** Why the connected role may not run a keymap command (help marks it), or undefined. */
  commandRefusal(command: string): string | undefined {
    const action = COMMAND_ACTIONS[command];
    return action === undefined ? undefined : refusal(this.store.actor.aclUser, action);
  }

  /** Why the connected role may not do `action` (shown in the footer), or undefined. */
  refusal(action: "save workflows" | "delete workflows" | "keep drafts"): string | undefined {
    return refusal(this.store.actor.aclUser, action);
  }

  async list(): Promise<WorkflowRow[]> {
    const summaries = await this.store.registry.list();
    const versions = await Promise.all(
      summaries.map((s) =>
        this.store.registry.get(`${s.name}@${s.version}`).catch(() => undefined),
      ),
    );
    return summaries.map((s, i) => {
      const v = versions[i];
      return {
        ...s,
        description: v?.workflow.description ?? "",
        message: v?.message ?? "",
        calls: (v?.workflow.nodes ?? []).flatMap((n) =>
          n.kind === "subworkflow" ? [n.workflow.split("@")[0]!] : [],
        ),
      };
    });
  }

  /** `name` or `name@3`; a pending draft of the current version comes with it. */
  async open(ref: string): Promise<OpenedWorkflow> {
    const stored = await this.store.registry.get(ref);
    if (stored.version !== stored.current) return { stored };
    const draft = await this.loadDraft(stored.name);
    return draft ? { stored, draft } : { stored };
  }

  /**
   * A workflow with the workflows it calls (transitively), as a file with children would hold
   * them: the designer switches between them and saves them together.
   */
  async openFamily(ref: string): Promise<{ root: OpenedWorkflow; children: StoredVersion[] }> {
    const root = await this.open(ref);
    const family = await versionsForExport(this.store.registry, [ref], true).catch(() => [
      root.stored,
    ]);
    return { root, children: family.filter((v) => v.name !== root.stored.name) };
  }

  /** The workflows of a file, with the store's current version of each (0 when new). */
  async openFile(
    path: string,
    cwd: string,
  ): Promise<{ workflows: { workflow: Workflow; version: number }[]; findings: Finding[] }> {
    const bytes = readInputFile(resolve(cwd, path), path);
    const loaded = loadWorkflowBytes(bytes, path);
    const names = loaded.workflows.map((w) => w.workflow.name);
    const existing = await this.store.registry.existing(names);
    const workflows = await Promise.all(
      loaded.workflows.map(async (w) => ({
        workflow: w.workflow,
        version: existing.has(w.workflow.name)
          ? (await this.store.registry.get(w.workflow.name)).version
          : 0,
      })),
    );
    return { workflows, findings: loaded.findings };
  }

  async versions(name: string): Promise<VersionInfo[]> {
    return this.store.registry.versions(name);
  }

  async get(ref: string): Promise<StoredVersion> {
    return this.store.registry.get(ref);
  }

  /** Whether workflows of these names exist, so a call to one is not reported as unknown. */
  async existing(names: Iterable<string>): Promise<Set<string>> {
    return this.store.registry.existing(names);
  }

  /**
   * Saves the edited workflows as new versions on top of `parents` (0 for new ones). Nothing
   * changed: `unchanged`. Someone saved in between: `conflict`, with what they changed.
   */
  async save(
    workflows: readonly Workflow[],
    parents: ReadonlyMap<string, number>,
    message: string,
  ): Promise<SaveOutcome> {
    const refused = this.refusal("save workflows");
    if (refused) throw new Error(refused);
    try {
      const result = await this.store.registry.save(workflows, { parents, message });
      if (!result.ok) return { kind: "invalid", findings: result.findings };
      for (const w of workflows) await this.store.drafts.drop(w.name);
      return result.saved.some((s) => s.created)
        ? { kind: "saved", saved: result.saved }
        : { kind: "unchanged", saved: result.saved };
    } catch (cause) {
      if (!(cause instanceof ConflictError)) throw cause;
      const theirs = await this.store.registry.get(cause.workflow);
      const base = parents.get(cause.workflow) ?? 0;
      const before =
        base > 0
          ? (await this.store.registry.get(`${cause.workflow}@${base}`)).workflow
          : empty(cause.workflow);
      return {
        kind: "conflict",
        message: cause.message,
        theirs,
        diff: diffWorkflows(before, theirs.workflow),
      };
    }
  }

  async remove(name: string): Promise<void> {
    const refused = this.refusal("delete workflows");
    if (refused) throw new Error(refused);
    await this.store.registry.remove(name);
    await this.store.drafts.drop(name);
  }

  async importFile(path: string, cwd: string): Promise<ImportOutcome> {
    const refused = this.refusal("save workflows");
    if (refused) throw new Error(refused);
    const full = resolve(cwd, path);
    let bytes: Buffer;
    try {
      bytes = readInputFile(full, path);
    } catch (cause) {
      const reason =
        cause instanceof InputFileError
          ? cause.message.slice(path.length + 2)
          : (cause as NodeJS.ErrnoException).code === "ENOENT"
            ? "no such file"
            : String((cause as Error).message);
      return {
        ok: false,
        findings: [
          {
            severity: "error",
            code: "E_FILE",
            path: "",
            message: `${path}: ${reason}`,
            file: path,
          },
        ],
      };
    }
    return importWorkflows(this.store.registry, path, (o) => loadWorkflowBytes(bytes, path, o));
  }

  /** Writes the workflows (a multi-document file when several) to `path`. */
  exportTo(path: string, cwd: string, workflows: readonly Workflow[]): string {
    const full = resolve(cwd, path);
    writeWorkflowFile(full, workflows);
    return full;
  }

  async saveDraft(workflow: Workflow, baseVersion: number, host: string): Promise<void> {
    if (this.refusal("keep drafts")) return;
    await this.store.drafts.put(workflow.name, {
      workflow,
      baseVersion,
      savedAt: Date.now(),
      host,
    });
  }

  async dropDraft(name: string): Promise<void> {
    if (this.refusal("keep drafts")) return;
    await this.store.drafts.drop(name);
  }

  /**
   * Where the designer's unsaved edits are, as of the last key (read when drafts are written:
   * a moment after an edit, and when the process is told to end, a hang-up or SIGTERM).
   */
  private unsaved: () => readonly { workflow: Workflow; baseVersion: number }[] = () => [];

  watchUnsaved(source: () => readonly { workflow: Workflow; baseVersion: number }[]): () => void {
    this.unsaved = source;
    return () => {
      if (this.unsaved === source) this.unsaved = () => [];
    };
  }

  /** Writes a draft of every unsaved edit now. */
  async flushDrafts(host: string): Promise<void> {
    await Promise.all(this.unsaved().map((d) => this.saveDraft(d.workflow, d.baseVersion, host)));
  }

  private async loadDraft(name: string): Promise<OpenedWorkflow["draft"]> {
    // A role that keeps no drafts (operator, viewer) may not read them either.
    if (this.refusal("keep drafts")) return undefined;
    const draft: Draft | undefined = await this.store.drafts.get(name);
    if (!draft) return undefined;
    const parsed = WorkflowSchema.safeParse(draft.workflow);
    if (!parsed.success) return undefined;
    return {
      workflow: parsed.data,
      baseVersion: draft.baseVersion,
      savedAt: draft.savedAt,
      host: draft.host,
    };
  }

  async cachedLayout(hash: string, options: string): Promise<unknown> {
    return this.store.layouts.get(hash, options);
  }

  async cacheLayout(hash: string, options: string, geometry: unknown): Promise<void> {
    await this.store.layouts.put(hash, options, geometry);
  }

  /** Findings for the workflows being edited, with calls to stored workflows known. */
  check(workflows: readonly Workflow[], stored: ReadonlySet<string>): Finding[] {
    return checkWorkflows(workflows, { storeHas: (n) => stored.has(n) }).flatMap((c) => c.findings);
  }
}

const empty = (name: string): Workflow => WorkflowSchema.parse({ name });

export { isEmptyDiff, NotFoundError };
