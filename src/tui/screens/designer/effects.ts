/**
 * The designer's effects, run: the session's calls to Redis and the file system, and leaving the
 * screen. Each call's outcome goes back to the reducer as an action.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { DesignerEffect } from "../../../app/designer/screen/effects.js";
import type { DesignerAction } from "../../../app/designer/screen/reducer.js";
import type { DesignerSession } from "../../../app/designer/session.js";

export interface DesignerWorld {
  session: DesignerSession;
  cwd: string;
  dispatch(action: DesignerAction): void;
  /** Reads again which workflows the store holds. */
  refreshStored(): void;
  onExit(): void;
  onHelp(): void;
  onQuit(): void;
  onRun?(ref: string): void;
  onRuns?(workflow: string): void;
}

export function runDesignerEffect(effect: DesignerEffect, world: DesignerWorld): void {
  const failed = (cause: Error) => world.dispatch({ type: "failed", message: cause.message });
  const session = world.session;
  switch (effect.type) {
    case "quit":
      return world.onQuit();
    case "exit":
      return world.onExit();
    case "help":
      return world.onHelp();
    case "run":
      return world.onRun?.(effect.ref);
    case "runs":
      return world.onRuns?.(effect.workflow);
    case "save":
      return void session
        .save(effect.workflows, effect.parents, effect.message)
        .then((outcome) => world.dispatch({ type: "saved", outcome }), failed);
    case "load": {
      const { purpose } = effect;
      return void session.get(effect.ref).then(
        (version) => world.dispatch({ type: "loaded", stored: version, purpose }),
        (cause: Error) => world.dispatch({ type: "loadFailed", message: cause.message, purpose }),
      );
    }
    case "versions":
      return void session.versions(effect.name).then(
        (versions) => world.dispatch({ type: "versionsListed", name: effect.name, versions }),
        (cause: Error) => world.dispatch({ type: "versionsFailed", message: cause.message }),
      );
    case "export": {
      const { path, workflows } = effect;
      if (!effect.overwrite && existsSync(resolve(world.cwd, path)))
        return world.dispatch({ type: "exportExists", path });
      try {
        session.exportTo(path, world.cwd, workflows);
      } catch (cause) {
        return failed(cause as Error);
      }
      return world.dispatch({ type: "exported", path, names: workflows.map((w) => w.name) });
    }
    case "saveDraft":
      return void session
        .saveDraft(effect.workflow, effect.baseVersion, effect.host)
        .catch(() => undefined);
    case "dropDraft":
      return void session.dropDraft(effect.name).catch(() => undefined);
    case "refreshStored":
      return world.refreshStored();
  }
}
