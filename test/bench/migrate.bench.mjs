// Benchmark of `glacier vault migrate --commit` (docs/migrate.md): 2 GiB in a vault of a
// `glacier-emulator` process (one 1 GiB archive and 128 archives of 8 MiB; jobs complete at once)
// copied, streamed and verified, to objects in a bucket of the same emulator, concurrency 4; against
// the vault upload of one 2 GiB file by the same binary to the same emulator, measured the same way
// in the same run (as bench:s3upload). Each round migrates with a fresh cache into its own prefix
// (the plan and its inventory, untimed, first), every `--commit` run until exit 0 timed, then the
// objects are deleted. Targets: at least half the vault upload's speed (ratio of the medians of
// BENCH_ROUNDS interleaved rounds, default 3); peak RSS of glacier <= concurrency x part size + 150 MB.
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
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

const LARGE = Number(process.env.BENCH_MIGRATE_LARGE ?? 1 * GiB);
const SMALL = 8 * MiB;
const SMALL_COUNT = Number(process.env.BENCH_MIGRATE_SMALL_COUNT ?? 128);
const SIZE = LARGE + SMALL * SMALL_COUNT;
const CONCURRENCY = 4;
/** The part size of the migration's S3 uploads (src/glacier/migrate-copy.ts). */
const PART = 16 * MiB;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BUCKET = "bench-migrate";
// The SDK's note that its 2027 releases need Node 22 (this process deletes objects between rounds).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const dir = await benchDir("migrate");
const reference = join(dir, "two-gib.bin");
const smallDir = join(dir, "small");
await mkdir(smallDir, { recursive: true });
console.log(`writing ${fmt.mb(SIZE)} of archives and the ${fmt.mb(SIZE)} reference file in ${dir} ...`);
await randomFile(reference, SIZE);
await randomFile(join(dir, "large.bin"), LARGE);
for (let i = 0; i < SMALL_COUNT; i++) await randomFile(join(smallDir, `part-${String(i).padStart(3, "0")}.bin`), SMALL);

const dataDir = await emulatorDataDir("migrate", join(dir, "emulator"));
// Inventories at once, of every change: each round's fresh cache plans from a complete inventory.
const { server, url } = await startEmulatorProcess(dataDir, ["--inventory-lag", "live", "--inventory-interval", "0"]);
const homeOf = async (name) => {
  const home = join(dir, name);
  await mkdir(home, { recursive: true });
  return cliEnv(home, url);
};
const env = await homeOf("home");
const must = async (run, what) => {
  const result = await run;
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}`);
  return result;
};
const s3 = new S3Client({
  region: "us-east-1",
  endpoint: url,
  forcePathStyle: true,
  credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
});

/** Every `--commit` run of one migration until exit 0 (75: jobs pending), as one measurement. */
async function migrate(round) {
  const roundEnv = await homeOf(`home-${round}`);
  const target = `s3://${BUCKET}/r${round}`;
  const plan = await must(
    glacierRun(roundEnv, ["vault", "migrate", "--wait", "src", target], { quiet: true }),
    "vault migrate (plan)",
  );
  if (plan.stdout.trim().split("\n").length !== SMALL_COUNT + 1) throw new Error("the plan lacks archives");
  const total = { seconds: 0, peakRssBytes: 0, runs: 0 };
  for (;;) {
    const run = await glacierRun(roundEnv, [
      "vault",
      "migrate",
      "--commit",
      "--concurrency",
      String(CONCURRENCY),
      // The report goes to the benchmark's folder, not the folder the benchmark was started from.
      "--report",
      join(dir, `report-${round}`),
      "src",
      target,
    ]);
    total.seconds += run.seconds;
    total.peakRssBytes = Math.max(total.peakRssBytes, run.peakRssBytes);
    total.runs += 1;
    if (run.code === 0) return total;
    if (run.code !== 75 || total.runs > 10) throw new Error(`vault migrate --commit exited ${run.code}`);
  }
}

/** Keeps the emulator's tmpfs at one copy of the migrated bytes at a time. */
async function deletePrefix(prefix) {
  let token;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }));
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key }));
    if (keys.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: keys } }));
    token = page.NextContinuationToken;
  } while (token);
}

const results = [];
try {
  for (const vault of ["src", "ref", `s3://${BUCKET}`]) await must(glacierRun(env, ["vault", "create", vault]), vault);
  const upload = ["archive", "upload", "--concurrency", String(CONCURRENCY)];
  const quiet = { quiet: true };
  await must(glacierRun(env, [...upload, "src", join(dir, "large.bin")], quiet), "upload of the large archive");
  await must(glacierRun(env, ["archive", "multi-upload", "src", smallDir], quiet), "upload of the small archives");
  await measure("cat", [reference], { stdio: ["ignore", "ignore", "inherit"] });
  const runs = { vault: [], migrate: [] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.vault.push(await must(glacierRun(env, [...upload, "--name", `r${round}`, "ref", reference]), "vault upload"));
    await must(glacierRun(env, ["archive", "delete", "ref", `r${round}`]), "archive delete");
    const migrated = await migrate(round);
    console.log(
      `round ${round}: vault upload ${runs.vault.at(-1).seconds.toFixed(1)} s; migration ` +
        `${migrated.seconds.toFixed(1)} s in ${migrated.runs} runs, peak RSS ${fmt.mb(migrated.peakRssBytes)}`,
    );
    runs.migrate.push(migrated);
    await deletePrefix(`r${round}/`);
  }
  const vault = spread(runs.vault);
  const ours = spread(runs.migrate);
  const ratio = vault.median / ours.median;
  console.log(
    `vault upload median ${fmt.mbps(SIZE, vault.median)} (${vault.median.toFixed(1)} s, peak RSS ` +
      `${fmt.mb(vault.rss)}); migration median ${fmt.mbps(SIZE, ours.median)} (${ours.median.toFixed(1)} s, ` +
      `spread ${ours.best.toFixed(1)}..${ours.worst.toFixed(1)} s, ${ROUNDS} rounds)`,
  );
  report(
    results,
    `migration of ${fmt.mb(SIZE)} (1 large + ${SMALL_COUNT} x 8 MiB archives) to S3, concurrency ${CONCURRENCY}, ` +
      "vs the vault upload (medians)",
    fmt.ratio(ratio),
    ">= 0.50x",
    ratio >= 0.5,
  );
  const limit = CONCURRENCY * PART + 150 * MiB;
  report(results, "migration peak RSS", fmt.mb(ours.rss), `<= ${fmt.mb(limit)}`, ours.rss <= limit);
} finally {
  s3.destroy();
  server.kill();
  if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
  if (!process.env.BENCH_KEEP && !process.env.BENCH_EMULATOR_DIR) await rm(dataDir, { recursive: true, force: true });
}
process.exitCode = results.every(Boolean) ? 0 : 1;
