// Benchmark for `glacier treehash`: one 1 GiB file and eight 128 MiB files, against
// `openssl dgst -sha256` over the same files in the same run.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GiB, MiB, benchDir, fmt, measure, randomFile, report } from "./lib.mjs";

const glacier = fileURLToPath(new URL("../../bin/glacier.js", import.meta.url));
const dir = await benchDir("treehash");
const big = join(dir, "one-gib.bin");
const small = Array.from({ length: 8 }, (_, i) => join(dir, `part-${i}.bin`));
console.log(`writing test files in ${dir} ...`);
await randomFile(big, GiB);
for (const file of small) await randomFile(file, 128 * MiB);

const results = [];
async function compare(label, files, bytes, target) {
  // Warm the page cache so both sides read from memory, then take the best of three each.
  await measure("cat", files, { stdio: ["ignore", "ignore", "inherit"] });
  const best = async (cmd, args) => {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await measure(cmd, args));
    return runs.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
  };
  const openssl = await best("openssl", ["dgst", "-sha256", ...files]);
  const ours = await best(process.execPath, [glacier, "treehash", ...files]);
  if (ours.code !== 0) throw new Error(`glacier treehash exited ${ours.code}`);
  const ratio = openssl.seconds / ours.seconds;
  console.log(`${label}: openssl ${fmt.mbps(bytes, openssl.seconds)}, glacier treehash ${fmt.mbps(bytes, ours.seconds)}, peak RSS ${fmt.mb(ours.peakRssBytes)}`);
  report(results, `${label} speed vs openssl dgst -sha256`, fmt.ratio(ratio), `>= ${target}x`, ratio >= target);
  report(results, `${label} peak RSS`, fmt.mb(ours.peakRssBytes), "< 150 MB", ours.peakRssBytes < 150 * MiB);
}

await compare("one 1 GiB file", [big], GiB, 0.9);
await compare("eight 128 MiB files", small, GiB, 1.6);
if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
process.exitCode = results.every(Boolean) ? 0 : 1;
