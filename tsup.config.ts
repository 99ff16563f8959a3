import { defineConfig } from "tsup";

// One entry per program plus the worker scripts, which are loaded by path at run time.
export default defineConfig({
  entry: {
    glacier: "src/entry/glacier.ts",
    "glacier-emulator": "src/entry/emulator.ts",
    "git-annex-remote-glacier": "src/entry/annex-remote.ts",
    "hash-worker": "src/workers/hash-worker.ts",
    "s3-digest-worker": "src/workers/s3-digest-worker.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  splitting: true,
  sourcemap: false,
  // Not cleaned: tests of several engineers run the built programs while others rebuild.
  clean: false,
  outDir: "dist",
});
