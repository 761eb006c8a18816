/**
 * Importing workflow files into the registry and collecting versions for export: shared by
 * `weft import`/`weft export` and the designer, so both behave the same.
 */
import { renameSync, writeFileSync } from "node:fs";
import {
  type Finding,
  type LoadOptions,
  type LoadResult,
  parseWorkflowRef,
  toNativeYaml,
  type Workflow,
} from "../spec/index.js";
import {
  type SavedVersion,
  type StoredVersion,
  StoreError,
  type WorkflowRegistry,
} from "../store/index.js";

export type ImportOutcome =
  | { ok: true; saved: SavedVersion[]; findings: Finding[] }
  | { ok: false; findings: Finding[] };

const calledWorkflows = (workflows: readonly Workflow[]) =>
  workflows.flatMap((w) =>
    w.nodes.flatMap((n) =>
      n.kind === "subworkflow" ? [parseWorkflowRef(n.workflow)?.name ?? ""] : [],
    ),
  );

/**
 * Loads a file (through `load`, which reads it) and saves all its workflows as one unit. Calls
 * to workflows outside the file must name workflows in the store.
 */
export async function importWorkflows(
  registry: WorkflowRegistry,
  file: string,
  load: (options: LoadOptions) => LoadResult,
  message = `imported from ${file}`,
): Promise<ImportOutcome> {
  const first = load({});
  const inFile = new Set(first.workflows.map((w) => w.workflow.name));
  const called = calledWorkflows(first.workflows.map((w) => w.workflow));
  const inStore = await registry.existing(called.filter((n) => n !== "" && !inFile.has(n)));
  const result = load({ storeHas: (name) => inStore.has(name) });
  if (result.findings.some((f) => f.severity === "error") || result.workflows.length === 0)
    return { ok: false, findings: result.findings };
  const saved = await registry.save(
    result.workflows.map((w) => w.workflow),
    { action: "import", message },
  );
  if (!saved.ok) return { ok: false, findings: saved.findings.map((f) => ({ ...f, file })) };
  return { ok: true, saved: saved.saved, findings: result.findings };
}

/** The versions `refs` name and, with `withChildren`, every workflow they call (transitively). */
export async function versionsForExport(
  registry: WorkflowRegistry,
  refs: readonly string[],
  withChildren: boolean,
): Promise<StoredVersion[]> {
  const chosen = new Map<string, StoredVersion>();
  const queue = [...refs];
  while (queue.length > 0) {
    const ref = queue.shift()!;
    const version = await registry.get(ref);
    const other = chosen.get(version.name);
    if (other?.version === version.version) continue;
    if (other)
      throw new StoreError(
        `two versions of \`${version.name}\` would go into one file (v${other.version} and v${version.version}, from ${ref}); export them separately`,
      );
    chosen.set(version.name, version);
    if (!withChildren) continue;
    for (const node of version.workflow.nodes)
      if (node.kind === "subworkflow" && parseWorkflowRef(node.workflow)) queue.push(node.workflow);
  }
  return [...chosen.values()];
}

/** Writes YAML beside the target and renames it over, so a crash never leaves half a file. */
export function writeWorkflowFile(path: string, workflows: readonly Workflow[]): void {
  writeFileAtomically(path, toNativeYaml(workflows));
}

export function writeFileAtomically(path: string, text: string): void {
  const temporary = `${path}.weft-${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
