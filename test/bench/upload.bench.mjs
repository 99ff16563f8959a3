// Benchmark of the upload engine: one 2 GiB file, concurrency 4, to the emulator
// in another process on loopback, against `openssl dgst -sha256` over the same bytes in the same run.
// Targets: >= 30% of openssl's speed; peak RSS <= concurrency x part size + 100 MB. Then the
// download engine's speed over the same archive, for information.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { bareLoopbackSeconds } from "./bare-loopback.mjs";
import { GiB, MiB, benchDir, fmt, measure, randomFile, report } from "./lib.mjs";

const SIZE = Number(process.env.BENCH_UPLOAD_BYTES ?? 2 * GiB);
const CONCURRENCY = 4;
const PART = 8 * MiB; // choosePartSize() for 2 GiB
const dir = await benchDir("upload");
// Inside the repository's node_modules so that ESM resolution finds the SDK and the other packages.
const driver = fileURLToPath(new URL("../../node_modules/.cache/glacier-bench/upload-driver.mjs", import.meta.url));
await build({
  entryPoints: [fileURLToPath(new URL("./upload-engine.entry.ts", import.meta.url))],
  bundle: true, platform: "node", format: "esm", target: "node20", outfile: driver, packages: "external", logLevel: "error",
  absWorkingDir: fileURLToPath(new URL("../..", import.meta.url)),
});
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
const file = join(dir, "two-gib.bin");
console.log(`writing ${fmt.mb(SIZE)} in ${dir} ...`);
await randomFile(file, SIZE);

// The emulator's data DIR on tmpfs when there is one (as bench:emulator): on this kind of VM, writing
// 1 GiB into ext4's page cache costs 1.7-2.5 CPU seconds (dd, measured), which would time the disk of
// the machine rather than the upload engine. BENCH_EMULATOR_DIR overrides.
const dataDir = process.env.BENCH_EMULATOR_DIR ?? (existsSync("/dev/shm") ? await mkdtemp("/dev/shm/glacier-bench-upload-") : join(dir, "emulator"));
console.log(`emulator data DIR: ${dataDir}`);
const server = spawn(process.execPath, [driver, "serve", dataDir], { stdio: ["ignore", "pipe", "inherit"], env });
const url = await new Promise((resolve, reject) => {
  server.stdout.once("data", (d) => resolve(String(d).trim()));
  server.once("exit", (code) => reject(new Error(`emulator exited ${code}`)));
});
const results = [];
try {
  await measure("cat", [file], { stdio: ["ignore", "ignore", "inherit"] });
  const openssl = await measure("openssl", ["dgst", "-sha256", file]);
  const upload = await measure(process.execPath, [driver, "upload", url, file, String(CONCURRENCY)], { env });
  if (upload.code !== 0) throw new Error(`upload exited ${upload.code}`);
  const ratio = openssl.seconds / upload.seconds;
  console.log(`openssl ${fmt.mbps(SIZE, openssl.seconds)}, upload ${fmt.mbps(SIZE, upload.seconds)} (${upload.seconds.toFixed(1)} s), peak RSS ${fmt.mb(upload.peakRssBytes)}`);
  report(results, "2 GiB upload, concurrency 4, vs openssl dgst -sha256", fmt.ratio(ratio), ">= 0.30x", ratio >= 0.3);
  // Context, no target: the same transfer between two bare node:http processes (bare-loopback.mjs).
  const bareDir = join(dataDir, "bare-loopback");
  await mkdir(bareDir, { recursive: true });
  const bare = await bareLoopbackSeconds(file, bareDir, PART, CONCURRENCY);
  await rm(bareDir, { recursive: true, force: true });
  console.log(`      bare loopback reference (node:http client and server doing only the hashing and writes Glacier requires, none of our code): ${fmt.mbps(SIZE, bare)} = ${fmt.ratio(openssl.seconds / bare)} of openssl; the upload reaches ${Math.round((100 * bare) / upload.seconds)}% of it`);
  const limit = CONCURRENCY * PART + 100 * MiB;
  report(results, "upload peak RSS", fmt.mb(upload.peakRssBytes), `<= ${fmt.mb(limit)}`, upload.peakRssBytes <= limit);
  // The download engine over the same archive (informational: no target).
  const { archiveId } = JSON.parse(upload.stdout);
  const job = await measure(process.execPath, [driver, "retrieve", url, archiveId], { env });
  const out = join(dir, "restored.bin");
  const download = await measure(process.execPath, [driver, "download", url, job.stdout.trim(), out], { env });
  if (download.code !== 0) throw new Error(`download exited ${download.code}`);
  console.log(`download ${fmt.mbps(SIZE, download.seconds)} (${download.seconds.toFixed(1)} s, ${fmt.ratio(openssl.seconds / download.seconds)} of openssl), peak RSS ${fmt.mb(download.peakRssBytes)}`);
} finally {
  server.kill();
  if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
  if (!process.env.BENCH_KEEP && !process.env.BENCH_EMULATOR_DIR) await rm(dataDir, { recursive: true, force: true });
}
process.exitCode = results.every(Boolean) ? 0 : 1;
