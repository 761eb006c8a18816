/**
 * The sessions the TUI works through, over one store connection: the designer's (workflows,
 * drafts, layouts) and the run screens' (runs, events, actions). `weft design` opens them here,
 * and so do the tests that drive the app.
 */
import type { Engine } from "../engine/index.js";
import {
  type Actor,
  DraftStore,
  LayoutCache,
  type StoreHandle,
  type StoreKeys,
  type WorkflowRegistry,
} from "../store/index.js";
import { DesignerSession } from "./designer/session.js";
import { RunSession } from "./runs/run-session.js";

export interface AppSessions {
  designer: DesignerSession;
  runs: RunSession;
  drafts: DraftStore;
}

export function openSessions(store: {
  redis: StoreHandle;
  keys: StoreKeys;
  actor: Actor;
  /** Shared with the engine, so a version read by one is cached for both. */
  registry: WorkflowRegistry;
  engine: Engine;
}): AppSessions {
  const { redis, keys, actor } = store;
  const drafts = new DraftStore(redis, keys, actor.user);
  return {
    designer: new DesignerSession({
      registry: store.registry,
      actor,
      drafts,
      layouts: new LayoutCache(redis, keys),
    }),
    runs: new RunSession(store.engine, redis, keys, actor.aclUser),
    drafts,
  };
}
