// Benchmark of uploads to S3: one 2 GiB file, concurrency 4, `glacier archive upload` (the built
// binary) to s3://BUCKET on the emulator's S3 API (DEEP_ARCHIVE, SHA-256 per part, the tree hash
// computed before the upload starts), against the same binary uploading the same file to a vault
// of the same emulator, measured the same way in the same run (docs/backends.md#upload-and-integrity).
// Targets: S3 at least the vault upload's speed (ratio of the medians of BENCH_ROUNDS interleaved
// rounds, default 3); peak RSS of the S3 upload <= concurrency x part size + 100 MB.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import {
  GiB,
  MiB,
  benchDir,
  cliEnv,
  emulatorDataDir,
  fmt,
  glacierRun,
  measure,
  randomFile,
  report,
  spread,
  startEmulatorProcess,
} from "./lib.mjs";

const SIZE = Number(process.env.BENCH_UPLOAD_BYTES ?? 2 * GiB);
const CONCURRENCY = 4;
const PART = 8 * MiB; // choosePartSize() for 2 GiB, and S3's smallest power-of-two part
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = await benchDir("s3upload");
const file = join(dir, "two-gib.bin");
console.log(`writing ${fmt.mb(SIZE)} in ${dir} ...`);
await randomFile(file, SIZE);

// On tmpfs when there is one, as bench:upload: the machine's disk is not what is measured.
const dataDir = await emulatorDataDir("s3upload", join(dir, "emulator"));
const { server, url } = await startEmulatorProcess(dataDir);
const home = join(dir, "home");
await mkdir(home, { recursive: true });
const env = cliEnv(home, url);
const glacier = (args) => glacierRun(env, args);
const results = [];
try {
  for (const target of ["bench", "s3://bench-bucket"]) {
    const created = await glacier(["vault", "create", target]);
    if (created.code !== 0) throw new Error(`vault create ${target} exited ${created.code}`);
  }
  await measure("cat", [file], { stdio: ["ignore", "ignore", "inherit"] });
  const runs = { vault: [], s3: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [kind, target] of [
      ["vault", "bench"],
      ["s3", "s3://bench-bucket/host"],
    ]) {
      const run = await glacier([
        "archive",
        "upload",
        "--concurrency",
        String(CONCURRENCY),
        "--name",
        `r${round}`,
        target,
        file,
      ]);
      if (run.code !== 0) throw new Error(`upload to ${target} exited ${run.code}`);
      runs[kind].push(run);
      // Keeps the emulator's tmpfs at one copy of the file at a time.
      const deleted = await glacier(["archive", "delete", target, `r${round}`]);
      if (deleted.code !== 0) throw new Error(`archive delete on ${target} exited ${deleted.code}`);
    }
  }
  const vault = spread(runs.vault);
  const s3 = spread(runs.s3);
  const ratio = vault.median / s3.median;
  console.log(
    `vault upload median ${fmt.mbps(SIZE, vault.median)} (${vault.median.toFixed(1)} s, ` +
      `peak RSS ${fmt.mb(vault.rss)}); S3 upload median ${fmt.mbps(SIZE, s3.median)} (${s3.median.toFixed(1)} s, ` +
      `spread ${s3.best.toFixed(1)}..${s3.worst.toFixed(1)} s, ${ROUNDS} rounds)`,
  );
  report(
    results,
    "2 GiB upload to S3, concurrency 4, vs the vault upload (medians)",
    fmt.ratio(ratio),
    ">= 1.00x",
    ratio >= 1,
  );
  const limit = CONCURRENCY * PART + 100 * MiB;
  report(results, "S3 upload peak RSS", fmt.mb(s3.rss), `<= ${fmt.mb(limit)}`, s3.rss <= limit);
} finally {
  server.kill();
  if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
  if (!process.env.BENCH_KEEP && !process.env.BENCH_EMULATOR_DIR) await rm(dataDir, { recursive: true, force: true });
}
process.exitCode = results.every(Boolean) ? 0 : 1;
