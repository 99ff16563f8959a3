// Benchmark of the upload engine: one 2 GiB file, concurrency 4, to the emulator
// in another process on loopback, against `openssl dgst -sha256` over the same bytes in the same run.
// Targets: >= 30% of openssl's speed; peak RSS <= concurrency x part size + 100 MB. Then the
// download engine's speed over the same archive, for information. openssl and the upload run in
// BENCH_ROUNDS interleaved rounds (default 3); the ratio is that of the medians.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { GiB, MiB, benchDir, fmt, measure, randomFile, report, spread } from "./lib.mjs";

const SIZE = Number(process.env.BENCH_UPLOAD_BYTES ?? 2 * GiB);
const CONCURRENCY = 4;
const PART = 8 * MiB; // choosePartSize() for 2 GiB
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = await benchDir("upload");
// Inside the repository's node_modules so that ESM resolution finds the SDK and the other packages.
const driver = fileURLToPath(new URL("../../node_modules/.cache/glacier-bench/upload-driver.mjs", import.meta.url));
await build({
  entryPoints: [fileURLToPath(new URL("./upload-engine.entry.ts", import.meta.url))],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: driver,
  packages: "external",
  logLevel: "error",
  absWorkingDir: fileURLToPath(new URL("../..", import.meta.url)),
});
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
const file = join(dir, "two-gib.bin");
console.log(`writing ${fmt.mb(SIZE)} in ${dir} ...`);
await randomFile(file, SIZE);

// The emulator's data DIR on tmpfs when there is one (as bench:emulator): on this kind of VM, writing
// 1 GiB into ext4's page cache costs 1.7-2.5 CPU seconds (dd, measured), which would time the disk of
// the machine rather than the upload engine. BENCH_EMULATOR_DIR overrides.
const dataDir =
  process.env.BENCH_EMULATOR_DIR ??
  (existsSync("/dev/shm") ? await mkdtemp("/dev/shm/glacier-bench-upload-") : join(dir, "emulator"));
console.log(`emulator data DIR: ${dataDir}`);
const server = spawn(process.execPath, [driver, "serve", dataDir], { stdio: ["ignore", "pipe", "inherit"], env });
const url = await new Promise((resolve, reject) => {
  server.stdout.once("data", (d) => resolve(String(d).trim()));
  server.once("exit", (code) => reject(new Error(`emulator exited ${code}`)));
});
const results = [];
try {
  await measure("cat", [file], { stdio: ["ignore", "ignore", "inherit"] });
  const runs = { openssl: [], upload: [] };
  let upload;
  for (let round = 0; round < ROUNDS; round++) {
    runs.openssl.push(await measure("openssl", ["dgst", "-sha256", file]));
    upload = await measure(process.execPath, [driver, "upload", url, file, String(CONCURRENCY)], { env });
    if (upload.code !== 0) throw new Error(`upload exited ${upload.code}`);
    runs.upload.push(upload);
  }
  const openssl = spread(runs.openssl);
  const ours = spread(runs.upload);
  const ratio = openssl.median / ours.median;
  console.log(
    `openssl median ${fmt.mbps(SIZE, openssl.median)}; upload median ${fmt.mbps(SIZE, ours.median)} (` +
      `${ours.median.toFixed(1)} s, spread ${ours.best.toFixed(1)}..${ours.worst.toFixed(1)} s, ${ROUNDS} ` +
      `rounds), peak RSS ${fmt.mb(ours.rss)}`,
  );
  report(
    results,
    "2 GiB upload, concurrency 4, vs openssl dgst -sha256 (medians)",
    fmt.ratio(ratio),
    ">= 0.30x",
    ratio >= 0.3,
  );
  const limit = CONCURRENCY * PART + 100 * MiB;
  report(results, "upload peak RSS", fmt.mb(ours.rss), `<= ${fmt.mb(limit)}`, ours.rss <= limit);
  // The download engine over the same archive (informational: no target).
  const { archiveId } = JSON.parse(upload.stdout);
  const job = await measure(process.execPath, [driver, "retrieve", url, archiveId], { env });
  const out = join(dir, "restored.bin");
  const download = await measure(process.execPath, [driver, "download", url, job.stdout.trim(), out], { env });
  if (download.code !== 0) throw new Error(`download exited ${download.code}`);
  console.log(
    `download ${fmt.mbps(SIZE, download.seconds)} (${download.seconds.toFixed(1)} s, one round, ` +
      `${fmt.ratio(openssl.median / download.seconds)} of openssl's median), peak RSS ` +
      `${fmt.mb(download.peakRssBytes)}`,
  );
} finally {
  server.kill();
  if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
  if (!process.env.BENCH_KEEP && !process.env.BENCH_EMULATOR_DIR) await rm(dataDir, { recursive: true, force: true });
}
process.exitCode = results.every(Boolean) ? 0 : 1;
