// Import rules: the layering of docs/architecture.md#layers, enforced by `npm run boundaries`.
// A rule's name appears in the report when it is broken; the table in the docs says the same in words.

/** Unit tests beside their source may import what the file under test may not (vitest, fixtures). */
const TEST = "\\.test\\.ts$";

export default {
  forbidden: [
    {
      name: "sdk-only-in-adapters",
      comment:
        "Only a backend plugin's SDK adapter (src/glacier/sdk.ts, src/backend/<name>/sdk.ts) imports @aws-sdk/*; " +
        "SDK shapes never leave it (docs/architecture.md#the-backend-port).",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/(glacier|backend/[^/]+)/sdk\\.ts$", TEST] },
      to: { path: "(^|/)node_modules/@aws-sdk/|^@aws-sdk/" },
    },
    {
      name: "core-is-pure",
      comment:
        "src/core/ imports only src/core/, node:crypto and two packages that compute without I/O: picomatch's POSIX " +
        "build and @streamparser/json. No other Node module, no other layer (docs/architecture.md#layers).",
      severity: "error",
      from: { path: "^src/core/", pathNot: TEST },
      to: {
        pathNot: [
          "^src/core/",
          "^(node:)?crypto$",
          "(^|/)node_modules/picomatch/posix\\.js$",
          "(^|/)node_modules/@streamparser/json/",
        ],
      },
    },
    {
      name: "annex-not-commands-or-runtime",
      comment:
        "The git-annex remote gets its backend injected (RemoteWorld.openBackend), never the CLI's commands or root.",
      severity: "error",
      from: { path: "^src/annex/", pathNot: TEST },
      to: { path: "^src/(commands|runtime)/" },
    },
    {
      name: "commands-not-annex-or-runtime",
      comment: "Commands get everything through Deps (src/commands/deps.ts), built by the composition root.",
      severity: "error",
      from: { path: "^src/commands/", pathNot: TEST },
      to: { path: "^src/(annex|runtime)/" },
    },
    {
      name: "nothing-imports-entry",
      comment: "src/entry/ holds the programs' main modules: the top of the graph.",
      severity: "error",
      from: {},
      to: { path: "^src/entry/" },
    },
    {
      name: "runtime-only-from-entry",
      comment: "src/runtime/ is the composition root: only entry points (and tests) import it.",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/(entry|runtime)/", TEST] },
      to: { path: "^src/runtime/" },
    },
    {
      name: "platform-only-core-and-platform",
      comment: "src/platform/ is shared Node services: it builds on core and on itself, nothing higher.",
      severity: "error",
      from: { path: "^src/platform/", pathNot: TEST },
      to: { path: "^src/", pathNot: "^src/(core|platform)/" },
    },
    {
      name: "emulator-stands-alone",
      comment:
        "The emulator is a separate service: it never imports the client side " +
        "(commands, annex, cache, runtime, services, glacier).",
      severity: "error",
      from: { path: "^src/emulator/", pathNot: TEST },
      to: { path: "^src/(commands|annex|cache|runtime|services|glacier)/" },
    },
    {
      name: "no-cycles",
      comment: "No import cycles, type-only imports and dynamic imports included (docs/architecture.md#layers).",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Type-only imports are edges too: a cycle through `import type` is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^dist/" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
