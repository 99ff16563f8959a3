// Benchmark of the emulator: the SDK uploads a 1 GiB archive in parts to a
// glacier-emulator process and downloads it again by tree-hash-aligned ranges, verifying each
// range's tree hash (two SDK clients on their own threads); both are compared with `openssl dgst
// -sha256` over the same bytes in the same run ("both sides hash every byte: that is the ceiling").
// The emulator's peak RSS is sampled from /proc while it receives; BENCH_BIG=1 adds a 4 GiB upload
// for the "< 150 MB RSS" requirement.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import {
  CompleteMultipartUploadCommand,
  CreateVaultCommand,
  GlacierClient,
  InitiateJobCommand,
  InitiateMultipartUploadCommand,
  UploadMultipartPartCommand,
} from "@aws-sdk/client-glacier";
import { GiB, MiB, benchDir, fmt, foldDigests, measure, peakRss, randomFile, report } from "./lib.mjs";

const bin = fileURLToPath(new URL("../../bin/glacier-emulator.js", import.meta.url));
const dir = await benchDir("emulator");
const PART = 64 * MiB;
const CONCURRENCY = 2;

const fold = (hexes) => foldDigests(hexes.map((h) => Buffer.from(h, "hex")));

async function startEmulator(dataDir) {
  const child = spawn(process.execPath, [bin, "--data", dataDir], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, peakRss(child.pid))), 20);
  // CPU seconds the emulator used so far (utime + stime from /proc, in clock ticks of 1/100 s).
  const cpu = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  return {
    url,
    cpu,
    peak: () => Math.max(peak, peakRss(child.pid)),
    stop: () => {
      clearInterval(timer);
      child.kill("SIGTERM");
    },
  };
}

async function upload(client, file, size) {
  const { uploadId } = await client.send(
    new InitiateMultipartUploadCommand({ accountId: "-", vaultName: "bench", partSize: String(PART) }),
  );
  const handle = await open(file, "r");
  const hashes = [];
  let next = 0;
  const worker = async () => {
    while (next < size) {
      const start = next;
      next += PART;
      const length = Math.min(PART, size - start);
      const body = Buffer.allocUnsafe(length);
      await handle.read(body, 0, length, start);
      const out = await client.send(
        new UploadMultipartPartCommand({
          accountId: "-",
          vaultName: "bench",
          uploadId,
          range: `bytes ${start}-${start + length - 1}/*`,
          body,
        }),
      );
      hashes[start / PART] = out.checksum;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await handle.close();
  const done = await client.send(
    new CompleteMultipartUploadCommand({
      accountId: "-",
      vaultName: "bench",
      uploadId,
      archiveSize: String(size),
      checksum: fold(hashes),
    }),
  );
  return { archiveId: done.archiveId, treeHash: fold(hashes) };
}

/**
 * CONCURRENCY SDK clients on their own threads (download-client.mjs) share the ranges. Resolves
 * when they are loaded, with a function that starts them and resolves with the archive's tree hash.
 */
async function downloaders(endpoint, jobId, size) {
  const next = new Int32Array(new SharedArrayBuffer(4));
  const workers = Array.from(
    { length: CONCURRENCY },
    () =>
      new Worker(new URL("./download-client.mjs", import.meta.url), {
        workerData: { endpoint, jobId, size, part: PART, next },
      }),
  );
  const message = (worker) =>
    new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
  await Promise.all(workers.map(message));
  return async () => {
    const results = workers.map(message);
    for (const worker of workers) worker.postMessage("go");
    return fold(Object.assign([], ...(await Promise.all(results))));
  };
}

const results = [];
const file = join(dir, "one-gib.bin");
console.log(`writing test file in ${dir} ...`);
await randomFile(file, GiB);
await measure("cat", [file], { stdio: ["ignore", "ignore", "inherit"] });
// The reference is measured right before and right after each of our runs and averaged, so a
// machine whose load changes during the run (CPU shared with others) skews both sides alike.
const reference = async () => (await measure("openssl", ["dgst", "-sha256", file])).seconds;

// The emulator's data DIR: BENCH_EMULATOR_DIR, else tmpfs (/dev/shm) when there is one, so the
// figure measures the emulator rather than this machine's page-cache write speed; printed below.
const dataDir =
  process.env.BENCH_EMULATOR_DIR ??
  (existsSync("/dev/shm") ? await mkdtemp("/dev/shm/glacier-bench-emulator-") : join(dir, "data"));
console.log(`emulator data DIR: ${dataDir}`);
const emulator = await startEmulator(dataDir);
const client = new GlacierClient({
  region: "us-east-1",
  endpoint: emulator.url,
  credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" },
  maxAttempts: 1,
});
try {
  await client.send(new CreateVaultCommand({ accountId: "-", vaultName: "bench" }));

  const upBefore = await reference();
  const cpuBefore = emulator.cpu();
  let t = process.hrtime.bigint();
  const { archiveId, treeHash } = await upload(client, file, GiB);
  const upSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  const emulatorCpu = emulator.cpu() - cpuBefore;
  const upReference = (upBefore + (await reference())) / 2;
  const upRatio = upReference / upSeconds;
  console.log(`openssl dgst -sha256 around the upload: ${fmt.mbps(GiB, upReference)}`);
  console.log(
    `multipart upload (SDK, ${PART / MiB} MiB parts x${CONCURRENCY}): ${fmt.mbps(GiB, upSeconds)}, emulator ` +
      `peak RSS ${fmt.mb(emulator.peak())}`,
  );
  report(results, "1 GiB multipart upload vs openssl dgst -sha256", fmt.ratio(upRatio), ">= 0.35x", upRatio >= 0.35);
  // Diagnostic, no target: the emulator's own share (it hashes every byte twice: SHA-256 and tree
  // hash), independent of how fast the SDK client side is on this machine.
  console.log(
    `      emulator CPU while receiving: ${emulatorCpu.toFixed(2)} s (${fmt.mbps(GiB, emulatorCpu)} per CPU second)`,
  );
  report(
    results,
    "emulator peak RSS while receiving 1 GiB",
    fmt.mb(emulator.peak()),
    "< 150 MB",
    emulator.peak() < 150 * MiB,
  );

  const { jobId } = await client.send(
    new InitiateJobCommand({
      accountId: "-",
      vaultName: "bench",
      jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId },
    }),
  );
  const downBefore = await reference();
  const download = await downloaders(emulator.url, jobId, GiB);
  const downCpu = { client: process.cpuUsage(), emulator: emulator.cpu() };
  t = process.hrtime.bigint();
  const downloaded = await download();
  const downSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  const clientCpu = process.cpuUsage(downCpu.client);
  const downReference = (downBefore + (await reference())) / 2;
  console.log(`openssl dgst -sha256 around the download: ${fmt.mbps(GiB, downReference)}`);
  if (downloaded !== treeHash) throw new Error(`downloaded archive tree hash ${downloaded} != uploaded ${treeHash}`);
  const downRatio = downReference / downSeconds;
  console.log(
    `ranged download (SDK, ${PART / MiB} MiB ranges, ${CONCURRENCY} clients on their own threads, each range ` +
      `verified): ${fmt.mbps(GiB, downSeconds)}; archive tree hash ${downloaded.slice(0, 16)}...`,
  );
  report(results, "1 GiB ranged download vs openssl dgst -sha256", fmt.ratio(downRatio), ">= 0.50x", downRatio >= 0.5);
  // Diagnostic, no target: CPU seconds of each side (the client's threads together).
  console.log(
    `      CPU while downloading: clients ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(2)} s, ` +
      `emulator ${(emulator.cpu() - downCpu.emulator).toFixed(2)} s`,
  );

  if (process.env.BENCH_BIG) {
    const big = join(dir, "four-gib.bin");
    await randomFile(big, 4 * GiB);
    await upload(client, big, 4 * GiB);
    report(
      results,
      "emulator peak RSS while receiving 4 GiB",
      fmt.mb(emulator.peak()),
      "< 150 MB",
      emulator.peak() < 150 * MiB,
    );
    await rm(big, { force: true });
  }
} finally {
  client.destroy();
  emulator.stop();
  if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
  if (!process.env.BENCH_KEEP) await rm(dataDir, { recursive: true, force: true });
}
process.exitCode = results.every(Boolean) ? 0 : 1;
