// Benchmark of sparse restores (docs/restore.md "Sparse files"): a sparsebundle of 512 bands of
// 8 MiB, a quarter of them sparse (a hole with four random 4 KiB blocks), backed up with the built
// `glacier` to the embedded emulator (local:DIR), then restored with `vault restore` in rounds, with
// hole detection and without it (GLACIER_NO_HOLES=1, the reference), alternately, into a folder on
// disk (st_blocks is what is measured; tmpfs is checked, not assumed, to keep holes).
// Targets: the restored tree occupies <= 1.1x the source's allocated bytes; the median restore with
// holes takes <= 1.2x the median restore without. BENCH_BANDS, BENCH_ROUNDS scale it down or up.
import { spawnSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MiB, benchDir, fmt, report } from "./lib.mjs";

const BANDS = Number(process.env.BENCH_BANDS ?? 512);
const BAND = 8 * MiB;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const glacierBin = fileURLToPath(new URL("../../bin/glacier.js", import.meta.url));
const dir = await benchDir("restore-sparse");
const source = join(dir, "Backup.sparsebundle");
const env = {
  ...process.env,
  XDG_CACHE_HOME: join(dir, "cache"),
  AWS_ENDPOINT_URL_GLACIER: `local:${join(dir, "vaults")}`,
  GLACIER_POLL_SECONDS: "1",
};

function glacier(args, extraEnv = {}) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [glacierBin, ...args], {
    env: { ...env, ...extraEnv },
    encoding: "utf8",
    maxBuffer: 64 * MiB,
  });
  return { code: run.status, stderr: run.stderr, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

function allocated(folder) {
  let sum = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.isFile()) sum += statSync(join(d, e.name)).blocks * 512;
    }
  };
  walk(folder);
  return sum;
}

function writeBand(path, sparse) {
  const fd = openSync(path, "w");
  try {
    if (sparse) {
      ftruncateSync(fd, BAND);
      for (let i = 0; i < 4; i++) writeSync(fd, randomFillSync(Buffer.alloc(4096)), 0, 4096, (BAND / 4) * i);
    } else writeSync(fd, randomFillSync(Buffer.alloc(BAND)), 0, BAND, 0);
  } finally {
    closeSync(fd);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
try {
  // Does this file system keep holes? (tmpfs does; some do not.)
  const probe = join(dir, "probe");
  writeBand(probe, true);
  const probeBlocks = statSync(probe).blocks * 512;
  rmSync(probe);
  console.log(
    `working in ${dir}: a sparse 8 MiB probe occupies ${probeBlocks} bytes` +
      `${probeBlocks > MiB ? " (no holes here: set BENCH_DIR to a folder on a file system that keeps them)" : ""}`,
  );

  console.log(`building ${BANDS} bands of 8 MiB (every fourth sparse) ...`);
  mkdirSync(join(source, "bands"), { recursive: true });
  for (let n = 0; n < BANDS; n++) writeBand(join(source, "bands", n.toString(16)), n % 4 === 3);
  const sourceAllocated = allocated(source);
  const logical = BANDS * BAND;
  if (glacier(["vault", "create", "b"]).code !== 0) throw new Error("vault create failed");
  const upload = glacier(["archive", "multi-upload", "--prefix", "tm", "b", source]);
  if (upload.code !== 0)
    throw new Error(`multi-upload exited ${upload.code}: ${upload.stderr.trim().split("\n").at(-1)}`);
  console.log(`backed up ${fmt.mb(logical)} (${fmt.mb(sourceAllocated)} allocated) in ${upload.seconds.toFixed(1)} s`);
  // The first restore starts the retrieval jobs (exit 75); the rounds then only download.
  const start = glacier(["vault", "restore", "--prefix", "tm", "b", join(dir, "start")]);
  if (start.code !== 75) throw new Error(`the first restore should exit 75, not ${start.code}`);
  rmSync(join(dir, "start"), { recursive: true, force: true });

  const times = { holes: [], plain: [] };
  let restoredAllocated = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 === 0 ? ["holes", "plain"] : ["plain", "holes"]) {
      const out = join(dir, `out-${kind}`);
      rmSync(out, { recursive: true, force: true });
      spawnSync("sync");
      const run = glacier(
        ["vault", "restore", "--wait", "--prefix", "tm", "b", out],
        kind === "plain" ? { GLACIER_NO_HOLES: "1" } : {},
      );
      if (run.code !== 0)
        throw new Error(`restore (${kind}) exited ${run.code}: ${run.stderr.trim().split("\n").at(-1)}`);
      times[kind].push(run.seconds);
      if (kind === "holes") restoredAllocated = allocated(out);
      else if (round === 0) console.log(`without hole detection the restored tree occupies ${fmt.mb(allocated(out))}`);
      console.log(
        `round ${round + 1} ${kind === "holes" ? "with holes   " : "without holes"}: ` +
          `${run.seconds.toFixed(1)} s (${fmt.mbps(logical, run.seconds)})`,
      );
    }
  }
  const space = restoredAllocated / sourceAllocated;
  console.log(`source ${fmt.mb(sourceAllocated)} allocated, restored ${fmt.mb(restoredAllocated)}`);
  report(
    results,
    `restored allocated bytes vs the source's (${BANDS} bands, a quarter sparse)`,
    fmt.ratio(space),
    "<= 1.10x",
    space <= 1.1,
  );
  const time = median(times.holes) / median(times.plain);
  console.log(
    `median of ${ROUNDS} rounds: with holes ${median(times.holes).toFixed(1)} s, without ` +
      `${median(times.plain).toFixed(1)} s`,
  );
  report(
    results,
    "restore time with hole detection vs without (median of rounds)",
    fmt.ratio(time),
    "<= 1.20x",
    time <= 1.2,
  );
} finally {
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
}
process.exitCode = results.every(Boolean) ? 0 : 1;
