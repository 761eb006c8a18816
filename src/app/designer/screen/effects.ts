/**
 * What the designer's reducer asks the world to do (effects, run by the screen) and what the
 * world reports back (outcomes, reduced as actions).
 */
import type { Workflow } from "../../../spec/index.js";
import type { StoredVersion, VersionInfo } from "../../../store/index.js";
import type { SaveOutcome } from "../session.js";

/** Why a workflow is read from the store: what its outcome does. */
export type LoadPurpose =
  | { for: "reload" }
  | { for: "past"; name: string; version: number }
  | { for: "diff"; name: string; version: number }
  | { for: "child"; name: string };

/** What the designer asks the world to do; the outcome comes back as a `DesignerOutcome`. */
export type DesignerEffect =
  | { type: "quit" }
  | { type: "exit" }
  | { type: "help" }
  | { type: "run"; ref: string }
  | { type: "runs"; workflow: string }
  | { type: "save"; workflows: Workflow[]; parents: Map<string, number>; message: string }
  | { type: "load"; ref: string; purpose: LoadPurpose }
  | { type: "versions"; name: string }
  | { type: "export"; path: string; workflows: Workflow[]; overwrite: boolean }
  | { type: "saveDraft"; workflow: Workflow; baseVersion: number; host: string }
  | { type: "dropDraft"; name: string }
  /** Read again which workflows the store holds (calls to them validate). */
  | { type: "refreshStored" };

/** What an effect reports back. */
export type DesignerOutcome =
  | { type: "saved"; outcome: SaveOutcome }
  | { type: "loaded"; stored: StoredVersion; purpose: LoadPurpose }
  | { type: "loadFailed"; message: string; purpose: LoadPurpose }
  | { type: "versionsListed"; name: string; versions: VersionInfo[] }
  | { type: "versionsFailed"; message: string }
  | { type: "exported"; path: string; names: string[] }
  /** The export's file exists and the user did not say to overwrite it. */
  | { type: "exportExists"; path: string }
  | { type: "failed"; message: string };
