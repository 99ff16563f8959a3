// Builds the cache child program once per test file (tsup, sql.js external) and runs it.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build } from "tsup";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// Inside node_modules so that the bundle resolves sql.js (and its wasm) like dist/ does.
const OUT = `${ROOT}node_modules/.cache/glacier-cache-test`;

export async function buildChild(): Promise<string> {
  await build({
    entry: { "cache-child": `${ROOT}test/cache/fixtures/cache-child.ts` },
    outDir: OUT,
    format: ["esm"],
    platform: "node",
    target: "node20",
    external: ["sql.js"],
    silent: true,
    config: false,
    clean: false,
  });
  return `${OUT}/cache-child.js`;
}

export function spawnChild(script: string, task: object): ChildProcess {
  return spawn(process.execPath, [script, JSON.stringify(task)], { stdio: ["ignore", "pipe", "pipe"] });
}
