// Fills an archive cache quickly for benchmarks, the way cache.bench.mjs does: src/cache bundled with
// tsup's build() API and driven in a child process (openCache + applySync inserts in batches, then a
// checkpoint), so that the benchmarked command opens a real `db` file as a user's would.
//   fillCache(dir, records)  records: [{ id?, name, treeHash, size, creationDate? }] (ids made up when missing)
// The rows are in the namespace of Amazon's us-east-1 endpoint (region us-east-1, no endpoint URL),
// and were "seen in an inventory" an hour before the fill (within checkpresent's 80 hours).
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BUNDLE = join(ROOT, "node_modules/.cache/glacier-cache-fill");
const self = fileURLToPath(import.meta.url);

/** A Glacier-like archive id (138 url-safe characters), distinct per n. */
export function archiveId(n) {
  return `${Buffer.from(`archive-${n}-`.repeat(12)).toString("base64url").slice(0, 128)}${String(n).padStart(10, "0")}`;
}

let built;
async function bundle() {
  built ??= import("tsup").then(({ build }) =>
    build({
      entry: { index: join(ROOT, "src/cache/index.ts") },
      outDir: BUNDLE,
      format: ["esm"],
      platform: "node",
      target: "node20",
      external: ["sql.js"],
      silent: true,
      config: false,
    }),
  );
  return built;
}

export async function fillCache(dir, records, vault = "bench") {
  await bundle();
  const input = join(dir, "..", `fill-${process.pid}-${Date.now()}.json`);
  await writeFile(input, JSON.stringify(records));
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [self, "fill", dir, input, vault], {
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`cache fill exited ${code}`))));
  });
}

if (process.argv[2] === "fill" && process.argv[1] === self) {
  const [dir, input, vault] = process.argv.slice(3);
  const { readFile, rm } = await import("node:fs/promises");
  const records = JSON.parse(await readFile(input, "utf8"));
  await rm(input);
  const { openCache } = await import(join(BUNDLE, "index.js"));
  const clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
  const cache = await openCache({ dir, namespace: { region: "us-east-1" }, clock });
  const seen = Date.now() - 3_600_000;
  const BATCH = 25_000;
  for (let first = 0; first < records.length; first += BATCH) {
    const changes = records.slice(first, first + BATCH).map((r, i) => ({
      kind: "insert",
      id: r.id ?? archiveId(first + i),
      name: r.name,
      treeHash: r.treeHash,
      size: r.size,
      creationDate: r.creationDate ?? seen,
      lastSeenUpstream: seen,
    }));
    await cache.applySync(vault, changes);
  }
  await cache.checkpoint();
  await cache.close();
}
