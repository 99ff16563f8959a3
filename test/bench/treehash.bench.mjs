// Benchmark for `glacier treehash`: one 1 GiB file and eight 128 MiB files, against
// `openssl dgst -sha256` over the same files in the same run.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GiB, MiB, benchDir, fmt, measure, randomFile, report, spread } from "./lib.mjs";

const glacier = fileURLToPath(new URL("../../bin/glacier.js", import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = await benchDir("treehash");
const big = join(dir, "one-gib.bin");
const small = Array.from({ length: 8 }, (_, i) => join(dir, `part-${i}.bin`));
console.log(`writing test files in ${dir} ...`);
await randomFile(big, GiB);
for (const file of small) await randomFile(file, 128 * MiB);

const results = [];
async function compare(label, files, bytes, target) {
  // Warm the page cache so both sides read from memory, then ROUNDS interleaved rounds (load from
  // other processes falls on both sides alike); the medians are compared.
  await measure("cat", files, { stdio: ["ignore", "ignore", "inherit"] });
  const runs = { openssl: [], ours: [] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.openssl.push(await measure("openssl", ["dgst", "-sha256", ...files]));
    const run = await measure(process.execPath, [glacier, "treehash", ...files]);
    if (run.code !== 0) throw new Error(`glacier treehash exited ${run.code}`);
    runs.ours.push(run);
  }
  const openssl = spread(runs.openssl);
  const ours = spread(runs.ours);
  const ratio = openssl.median / ours.median;
  console.log(
    `${label}: openssl median ${fmt.mbps(bytes, openssl.median)}, glacier treehash median ` +
      `${fmt.mbps(bytes, ours.median)} (spread ${fmt.mbps(bytes, ours.worst)}..${fmt.mbps(bytes, ours.best)}, ` +
      `${ROUNDS} rounds), peak RSS ${fmt.mb(ours.rss)}`,
  );
  report(
    results,
    `${label} speed vs openssl dgst -sha256 (medians)`,
    fmt.ratio(ratio),
    `>= ${target}x`,
    ratio >= target,
  );
  report(results, `${label} peak RSS`, fmt.mb(ours.rss), "< 150 MB", ours.rss < 150 * MiB);
}

await compare("one 1 GiB file", [big], GiB, 0.9);
await compare("eight 128 MiB files", small, GiB, 1.6);
if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
process.exitCode = results.every(Boolean) ? 0 : 1;
