// Start-up benchmarks, process start to exit, against `node -e 0` (Node's own
// start-up) measured in the same run:
//   - `glacier --help`: <= 150 ms;
//   - `glacier archive checkpresent VAULT NAME` of an archive cached (seen in an inventory an hour
//     ago, so no network call) with 100,000 archives in the cache: <= 300 ms. This is what git-annex's
//     built-in glacier remote runs for every key it checks.
// The three commands run in interleaved rounds (so that load from other processes falls on all of
// them alike); each figure is the median of the rounds, with the spread (best..worst) and the ratio
// of the medians against `node -e 0`. PASS/MISS compares the median with the target.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { archiveId, fillCache } from "./cache-fill.mjs";
import { benchDir, fmt, measure, report, spread } from "./lib.mjs";

const ARCHIVES = Number(process.env.BENCH_STARTUP_ARCHIVES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const glacier = fileURLToPath(new URL("../../bin/glacier.js", import.meta.url));
const dir = await benchDir("startup");
await rm(dir, { recursive: true, force: true });
const cacheDir = join(dir, "cache");
const home = join(dir, "home");
await mkdir(home, { recursive: true });

// Names like git-annex keys (what the built-in remote checks) and sparsebundle bands.
const nameOf = (n) =>
  n % 2
    ? `SHA256E-s${n * 4099}--${n.toString(16).padStart(64, "0")}.jpg`
    : `Backup.sparsebundle/bands/${n.toString(16)}`;
console.log(`filling a cache of ${ARCHIVES} archives in ${cacheDir} ...`);
await fillCache(
  cacheDir,
  Array.from({ length: ARCHIVES }, (_, n) => ({
    id: archiveId(n),
    name: nameOf(n),
    treeHash: n.toString(16).padStart(64, "0"),
    size: n * 4099 + 1,
  })),
);

const target = nameOf(Math.floor(ARCHIVES * 0.7) | 1);
// A clean environment: no credentials, no endpoint, Amazon's us-east-1 (the namespace of the fill).
const env = {
  PATH: process.env.PATH,
  HOME: home,
  GLACIER_CACHE_DIR: cacheDir,
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
};
const commands = {
  node: [process.execPath, ["-e", "0"]],
  help: [process.execPath, [glacier, "--help"]],
  checkpresent: [process.execPath, [glacier, "archive", "checkpresent", "bench", target]],
};
const runs = { node: [], help: [], checkpresent: [] };
for (let round = 0; round < ROUNDS + 1; round++) {
  for (const [key, [cmd, args]] of Object.entries(commands)) {
    const result = await measure(cmd, args, { env });
    if (result.code !== 0) throw new Error(`${key} exited ${result.code}`);
    if (key === "checkpresent" && result.stdout !== `${target}\n`)
      throw new Error(`checkpresent printed ${JSON.stringify(result.stdout)}, not the name`);
    if (round > 0) runs[key].push(result); // round 0 warms the page cache
  }
}
const ms = (s) => `${(s * 1000).toFixed(0)} ms`;
const stats = spread;
const node = stats(runs.node);
console.log(
  `reference node -e 0: median ${ms(node.median)}, spread ${ms(node.best)}..${ms(node.worst)} (${ROUNDS} rounds)`,
);
const results = [];
for (const [key, label, limit] of [
  ["help", "glacier --help", 0.15],
  ["checkpresent", `archive checkpresent with ${ARCHIVES} archives cached`, 0.3],
]) {
  const s = stats(runs[key]);
  console.log(
    `${label}: median ${ms(s.median)} (${fmt.ratio(s.median / node.median)} node -e 0), spread ${ms(s.best)}` +
      `..${ms(s.worst)}, peak RSS ${fmt.mb(s.rss)}`,
  );
  report(
    results,
    label,
    `${ms(s.median)} median, ${fmt.ratio(s.median / node.median)} node -e 0 (${ms(node.median)})`,
    `<= ${ms(limit)}`,
    s.median <= limit,
  );
}
if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
process.exitCode = results.every(Boolean) ? 0 : 1;
