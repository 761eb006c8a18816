// Imports point downward only (../shared/DESIGN.md section 1):
//   cli -> tui -> app -> engine -> store -> spec -> graph,  tui -> layout -> graph,
//   config sits beside app (tui and cli read it; it reads spec for shared schemas).
//   model (the run model: states, transitions, events) sits under every layer, pure, so that
//   store, engine, app, config (themes) and tui all take the states from one place.
// Each rule below names a layer and the layers above it that it must never import.
const layers = {
  model: ["graph", "spec", "layout", "store", "engine", "app", "config", "tui", "cli"],
  graph: ["spec", "layout", "store", "engine", "app", "config", "tui", "cli"],
  spec: ["layout", "store", "engine", "app", "config", "tui", "cli"],
  layout: ["spec", "store", "engine", "app", "config", "tui", "cli"],
  store: ["layout", "engine", "app", "config", "tui", "cli"],
  engine: ["layout", "app", "config", "tui", "cli"],
  config: ["store", "engine", "app", "tui", "cli"],
  app: ["tui", "cli"],
  tui: ["cli"],
};

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles make layers meaningless and modules impossible to test alone.",
      from: {},
      to: { circular: true },
    },
    ...Object.entries(layers).map(([layer, above]) => ({
      name: `${layer}-imports-downward-only`,
      severity: "error",
      comment: `src/${layer} may not import from ${above.join(", ")} (those layers sit above it).`,
      from: { path: `^src/${layer}/` },
      to: { path: `^src/(${above.join("|")})/` },
    })),
    {
      name: "pure-core-has-no-io",
      severity: "error",
      comment:
        "spec, graph, layout and model are pure: no file system, network, processes or Redis.",
      from: { path: "^src/(spec|graph|layout|model)/" },
      to: {
        path: "^(fs|node:fs|fs/promises|node:fs/promises|net|node:net|child_process|node:child_process|ioredis)$",
        dependencyTypes: ["core", "npm"],
      },
    },
    {
      name: "redis-only-in-store",
      severity: "error",
      comment:
        "Only src/store talks to Redis: everything else calls its typed functions (DESIGN.md section 1).",
      from: { path: "^src/", pathNot: "^src/store/" },
      to: { path: "(^|/)node_modules/ioredis/|^ioredis$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
