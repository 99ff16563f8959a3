// Benchmarks of checksum-driven backups, each against a reference measured in the
// same run, in interleaved rounds (so that load from other processes falls on both sides alike):
//   1. a no-change `vault reconcile` of 512 x 8 MiB bands: <= 0.7x the time of `openssl dgst -sha256`
//      over the same files one after another (our hashing runs on worker threads, one per core);
//   2. a no-change `vault reconcile --trust-mtime` of 10,000 files: <= 1.5 s (reference, for the
//      ratio: `find -printf` of the same files' size, mtime, ctime and inode, the least any such
//      check must do);
//   3. `archive multi-upload` of 256 x 8 MiB bands to a glacier-emulator process on loopback:
//      <= 3x the time of `openssl dgst -sha256` over the same files;
//   and the peak RSS of each glacier process < 300 MB.
// Each figure is the median of BENCH_ROUNDS rounds (default 3), with the spread (best..worst).
// BENCH_ONLY=reconcile,mtime,upload runs a subset.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { fillCache } from "./cache-fill.mjs";
import { benchDir, fmt, foldDigests, measure, MiB, randomFile, report, spread } from "./lib.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BANDS = Number(process.env.BENCH_RECONCILE_BANDS ?? 512);
const UPLOAD_BANDS = Number(process.env.BENCH_UPLOAD_BANDS ?? 256);
const SMALL_FILES = Number(process.env.BENCH_MTIME_FILES ?? 10_000);
const BAND = 8 * MiB;
const RSS_LIMIT = 300 * MiB;
const only = new Set((process.env.BENCH_ONLY ?? "reconcile,mtime,upload").split(","));
const glacier = fileURLToPath(new URL("../../bin/glacier.js", import.meta.url));
const emulatorBin = fileURLToPath(new URL("../../bin/glacier-emulator.js", import.meta.url));
const dir = await benchDir("reconcile");
await rm(dir, { recursive: true, force: true });
const home = join(dir, "home");
mkdirSync(home, { recursive: true });
const results = [];
const env = (cacheDir, extra = {}) => ({
  PATH: process.env.PATH,
  HOME: home,
  GLACIER_CACHE_DIR: cacheDir,
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
  ...extra,
});
const secs = (s) => `${s.toFixed(2)} s`;
const bandName = (n) => n.toString(16);

function treeHash(bytes) {
  const level = [];
  for (let i = 0; i < bytes.length || i === 0; i += MiB)
    level.push(
      createHash("sha256")
        .update(bytes.subarray(i, i + MiB))
        .digest(),
    );
  return foldDigests(level);
}

/** A cache whose vault `bench` holds exactly the files under root (names relative to root). */
async function cacheOf(cacheDir, root, names) {
  const records = names.map((name) => {
    const bytes = readFileSync(join(root, name));
    return { name, treeHash: treeHash(bytes), size: bytes.length };
  });
  await fillCache(cacheDir, records);
}

/** Runs ROUNDS interleaved rounds of the reference and ours; returns the runs of each. */
async function rounds(reference, ours, check) {
  const runs = { reference: [], ours: [] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.reference.push(await measure(...reference(round)));
    const result = await measure(...ours(round));
    check(result, round);
    runs.ours.push(result);
  }
  return runs;
}

function summarize(label, runs, refLabel) {
  const ref = spread(runs.reference);
  const ours = spread(runs.ours);
  console.log(
    `${label}: ${refLabel} median ${secs(ref.median)} (spread ${secs(ref.best)}..${secs(ref.worst)}); ` +
      `glacier median ${secs(ours.median)} (spread ${secs(ours.best)}..${secs(ours.worst)}), ratio of medians ` +
      `${fmt.ratio(ours.median / ref.median)}, peak RSS ${fmt.mb(ours.rss)} (${ROUNDS} rounds)`,
  );
  return { ref, ours };
}

function expectExit0(result, what) {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}`);
}

// glacier's stderr goes to a file (a pipe nobody reads could fill up), read back by check().
const logPath = () => join(dir, "stderr.log");
function logged() {
  const fd = openSync(logPath(), "w");
  setImmediate(() => closeSync(fd));
  return fd;
}
function expectLog(result, what, ...patterns) {
  expectExit0(result, what);
  const text = readFileSync(logPath(), "utf8");
  for (const pattern of patterns)
    if (!pattern.test(text)) throw new Error(`${what}: stderr lacks ${pattern}:\n${text}`);
}

try {
  // 1. No-change reconcile of 512 bands.
  const bundle = join(dir, "bundle", "Backup.sparsebundle");
  const written = Math.max(only.has("reconcile") ? BANDS : 0, only.has("upload") ? UPLOAD_BANDS : 0);
  const bandPaths = Array.from({ length: written }, (_, n) => join(bundle, "bands", bandName(n)));
  if (written > 0) {
    mkdirSync(join(bundle, "bands"), { recursive: true });
    console.log(`writing ${written} bands of 8 MiB in ${bundle} ...`);
    for (const path of bandPaths) await randomFile(path, BAND);
  }
  if (only.has("reconcile")) {
    const cacheDir = join(dir, "cache-reconcile");
    // Every band written is in the tree (more than BANDS only when BENCH_UPLOAD_BANDS is larger).
    const reconciled = bandPaths;
    await cacheOf(
      cacheDir,
      bundle,
      reconciled.map((_, n) => `bands/${bandName(n)}`),
    );
    const runs = await rounds(
      () => ["openssl", ["dgst", "-sha256", ...reconciled]],
      () => [
        process.execPath,
        [glacier, "vault", "reconcile", "bench", bundle],
        { env: env(cacheDir), stdio: ["ignore", "pipe", logged()] },
      ],
      (result) =>
        expectLog(result, "vault reconcile", new RegExp(`Nothing to do: ${reconciled.length} files unchanged`)),
    );
    const { ref, ours } = summarize(
      `no-change reconcile of ${reconciled.length} x 8 MiB`,
      runs,
      "openssl dgst -sha256",
    );
    report(
      results,
      `no-change vault reconcile of ${reconciled.length} x 8 MiB bands vs openssl dgst -sha256`,
      `${fmt.ratio(ours.median / ref.median)} (median ${secs(ours.median)} vs ${secs(ref.median)})`,
      "<= 0.70x",
      ours.median / ref.median <= 0.7,
    );
    report(results, "  its peak RSS", fmt.mb(ours.rss), "< 300 MB", ours.rss < RSS_LIMIT);
  }

  // 2. --trust-mtime no-change reconcile of 10,000 files.
  if (only.has("mtime")) {
    const root = join(dir, "many");
    mkdirSync(join(root, "bands"), { recursive: true });
    console.log(`writing ${SMALL_FILES} files of 16 KiB in ${root} ...`);
    const names = [];
    const block = Buffer.alloc(16 * 1024);
    for (let n = 0; n < SMALL_FILES; n++) {
      block.writeUInt32LE(n, 0);
      block.writeUInt32LE((n * 2654435761) >>> 0, 8);
      writeFileSync(join(root, "bands", bandName(n)), block);
      names.push(`bands/${bandName(n)}`);
    }
    const cacheDir = join(dir, "cache-mtime");
    await cacheOf(cacheDir, root, names);
    // The first run hashes every file and records what --trust-mtime trusts.
    const first = await measure(process.execPath, [glacier, "vault", "reconcile", "--trust-mtime", "bench", root], {
      env: env(cacheDir),
      stdio: ["ignore", "pipe", logged()],
    });
    expectLog(
      first,
      "the first vault reconcile --trust-mtime",
      new RegExp(`Nothing to do: ${SMALL_FILES} files unchanged`),
    );
    console.log(`first --trust-mtime run (hashes all ${SMALL_FILES} files): ${secs(first.seconds)}`);
    const runs = await rounds(
      () => ["find", [root, "-type", "f", "-printf", "%s %T@ %C@ %i %p\n"], { stdio: ["ignore", "ignore", "inherit"] }],
      () => [
        process.execPath,
        [glacier, "vault", "reconcile", "--trust-mtime", "bench", root],
        { env: env(cacheDir), stdio: ["ignore", "pipe", logged()] },
      ],
      (result) =>
        expectLog(result, "vault reconcile --trust-mtime", new RegExp(`Nothing to do: ${SMALL_FILES} files unchanged`)),
    );
    const { ref, ours } = summarize(
      `--trust-mtime no-change reconcile of ${SMALL_FILES} files`,
      runs,
      "find -printf (stat)",
    );
    report(
      results,
      `--trust-mtime no-change reconcile of ${SMALL_FILES} files`,
      `median ${secs(ours.median)} (${fmt.ratio(ours.median / ref.median)} find -printf, ${secs(ref.median)})`,
      "<= 1.50 s",
      ours.median <= 1.5,
    );
    report(results, "  its peak RSS", fmt.mb(ours.rss), "< 300 MB", ours.rss < RSS_LIMIT);
  }

  // 3. multi-upload of 256 bands to a glacier-emulator process.
  if (only.has("upload")) {
    const upload = join(dir, "upload", "Backup.sparsebundle");
    mkdirSync(join(upload, "bands"), { recursive: true });
    const uploadPaths = [];
    for (let n = 0; n < UPLOAD_BANDS; n++) {
      const path = join(upload, "bands", bandName(n));
      linkSync(bandPaths[n], path);
      uploadPaths.push(path);
    }
    // The emulator's DIR on tmpfs when there is one, as in bench:emulator and bench:upload (ext4
    // page-cache writes on this kind of VM cost 1.7-2.5 CPU s per GiB: that would time the disk).
    const data =
      process.env.BENCH_EMULATOR_DIR ??
      (existsSync("/dev/shm") ? mkdtempSync("/dev/shm/glacier-bench-reconcile-") : join(dir, "emulator"));
    mkdirSync(data, { recursive: true });
    console.log(`emulator data DIR: ${data}`);
    const emulator = spawn(process.execPath, [emulatorBin, "--data", data, "--port", "0"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    const url = await new Promise((resolve, reject) => {
      createInterface({ input: emulator.stdout }).once("line", resolve);
      emulator.once("exit", (code) => reject(new Error(`glacier-emulator exited ${code}`)));
    });
    try {
      const creds = {
        AWS_ACCESS_KEY_ID: "AKIDBENCH",
        AWS_SECRET_ACCESS_KEY: "bench",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      };
      const cacheDir = join(dir, "cache-upload");
      for (let round = 0; round < ROUNDS; round++) {
        const made = await measure(
          process.execPath,
          [glacier, "--endpoint-url", url, "vault", "create", `bench-${round}`],
          { env: env(cacheDir, creds) },
        );
        expectExit0(made, "vault create");
      }
      const runs = await rounds(
        () => ["openssl", ["dgst", "-sha256", ...uploadPaths]],
        (round) => [
          process.execPath,
          [glacier, "--endpoint-url", url, "archive", "multi-upload", `bench-${round}`, upload],
          { env: env(cacheDir, creds), stdio: ["ignore", "pipe", logged()] },
        ],
        (result) => expectLog(result, "archive multi-upload", new RegExp(`${UPLOAD_BANDS} archives uploaded`)),
      );
      const { ref, ours } = summarize(
        `multi-upload of ${UPLOAD_BANDS} x 8 MiB to glacier-emulator`,
        runs,
        "openssl dgst -sha256",
      );
      report(
        results,
        `multi-upload of ${UPLOAD_BANDS} x 8 MiB bands to the emulator vs openssl dgst -sha256`,
        `${fmt.ratio(ours.median / ref.median)} (median ${secs(ours.median)} vs ${secs(ref.median)}, ` +
          `${fmt.mbps(UPLOAD_BANDS * BAND, ours.median)})`,
        "<= 3.00x",
        ours.median / ref.median <= 3,
      );
      report(results, "  its peak RSS", fmt.mb(ours.rss), "< 300 MB", ours.rss < RSS_LIMIT);
    } finally {
      emulator.kill("SIGTERM");
      if (!process.env.BENCH_KEEP && !process.env.BENCH_EMULATOR_DIR) await rm(data, { recursive: true, force: true });
    }
  }
} finally {
  if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
}
process.exitCode = results.every(Boolean) ? 0 : 1;
