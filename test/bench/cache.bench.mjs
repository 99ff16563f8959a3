// Benchmark for the archive cache: a cache of 500,000 archives (138-character ids,
// realistic names and tree hashes) plus a journal of recent uploads not yet checkpointed. Targets:
// open (load + journal replay) <= 2 s; `archive list` of the vault to /dev/null <= 3 s; one ref
// lookup <= 5 ms after open; one completed upload recorded <= 2 ms amortized including its fsync;
// checkpoint <= 3 s; peak RSS <= 1 GB. Each figure runs in a child process whose peak RSS is sampled.
import { createHash } from "node:crypto";
import { closeSync, createWriteStream, fdatasyncSync, openSync, writeSync } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchDir, fmt, measure, report, MiB } from "./lib.mjs";

const ARCHIVES = Number(process.env.BENCH_CACHE_ARCHIVES ?? 500_000);
// Recent uploads still in the journal: enough to bring it just under the 4 MiB checkpoint size, the
// most an open ever replays.
const JOURNALED = Number(process.env.BENCH_CACHE_JOURNALED ?? 7_500);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BUNDLE = join(ROOT, "node_modules/.cache/glacier-cache-bench");
const self = fileURLToPath(import.meta.url);
const role = process.argv[2];

const clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
const namespace = { region: "us-east-1" };
const id = (n) => `${randomBytesSeeded(n)}${String(n).padStart(10, "0")}`.slice(-138).padStart(138, "x");
function randomBytesSeeded(n) {
  // Glacier ids are 138 url-safe base64 characters; deterministic per n so the worker can look one up.
  return Buffer.from(String(n).repeat(40)).toString("base64url").slice(0, 128);
}
const EXT = [".jpg", ".tar.gz", ".mkv", ".pdf", ""];
function nameOf(n) {
  if (n % 3 === 0) return `SHA256E-s${(n * 7919) % 100_000_000}--${hash(n)}${EXT[n % EXT.length]}`;
  if (n % 3 === 1) return `Backups.backupdb/host-${n % 7}/2024-0${(n % 9) + 1}-01-120000/bands/${n.toString(16)}`;
  return `photos/${2000 + (n % 25)}/IMG_${String(n).padStart(7, "0")}.CR2`;
}
function hash(n) {
  return createHash("sha256").update(String(n)).digest("hex");
}

async function cacheModule() {
  return import(join(BUNDLE, "index.js"));
}

if (role === "populate") {
  const { openCache } = await cacheModule();
  const cache = await openCache({ dir: process.argv[3], namespace, clock });
  const CHUNK = 25_000;
  for (let first = 0; first < ARCHIVES; first += CHUNK) {
    const changes = [];
    for (let n = first; n < Math.min(ARCHIVES, first + CHUNK); n++) {
      changes.push({
        kind: "insert",
        id: id(n),
        name: nameOf(n),
        treeHash: hash(n),
        size: n * 4096,
        creationDate: Date.now() - n * 1000,
        lastSeenUpstream: Date.now() - 3 * 86_400_000,
      });
    }
    await cache.applySync("vault", changes);
  }
  await cache.checkpoint();
  const recent = [];
  for (let n = ARCHIVES; n < ARCHIVES + JOURNALED; n++)
    recent.push(cache.recordUpload("vault", { id: id(n), name: nameOf(n), treeHash: hash(n), size: n }));
  await Promise.all(recent);
  await cache.close();
} else if (role === "work") {
  const { openCache } = await cacheModule();
  const dir = process.argv[3];
  const figures = {};
  const time = async (label, fn) => {
    const t = process.hrtime.bigint();
    const result = await fn();
    figures[label] = Number(process.hrtime.bigint() - t) / 1e6;
    return result;
  };
  // A threshold above what this run writes, so that no checkpoint lands inside a timed upload phase;
  // the checkpoint is timed on its own below and its amortized share is printed.
  const cache = await time("open", () => openCache({ dir, namespace, clock, checkpointBytes: 64 * MiB }));
  // The figure is a lookup right after open (what checkpresent does), so it is timed before
  // the listing, whose half a million row objects would otherwise be collected during it.
  const lookups = [];
  for (const n of [7, Math.floor(ARCHIVES / 4) + 2, ARCHIVES - 1, ARCHIVES + 17]) {
    const t = process.hrtime.bigint();
    const found = await cache.lookup("vault", n % 2 ? nameOf(n) : `id:${id(n)}`);
    lookups.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (found.length !== 1) throw new Error(`lookup of ${n} found ${found.length}`);
  }
  figures.lookup = Math.max(...lookups);
  // `archive list` as glacier-cli prints it (1.3/1.4): display refs, groups of duplicates as id:ID\tNAME.
  await time("list", async () => {
    const rows = await cache.list("vault");
    const out = createWriteStream("/dev/null");
    let chunk = "";
    for (let i = 0; i < rows.length; i++) {
      const a = rows[i];
      const dup = rows[i - 1]?.name === a.name || rows[i + 1]?.name === a.name;
      chunk += dup
        ? `id:${a.id}\t${a.name}\n`
        : a.name
          ? /^(name|id):/.test(a.name)
            ? `name:${a.name}\n`
            : `${a.name}\n`
          : `id:${a.id}\n`;
      if (chunk.length > 1 << 16) {
        if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
        chunk = "";
      }
    }
    out.end(chunk);
    await new Promise((r) => out.on("close", r));
    figures.rows = rows.length;
  });
  const UPLOADS = 1000;
  await time("uploads", async () => {
    for (let n = 0; n < UPLOADS; n++)
      await cache.recordUpload("vault", { id: id(ARCHIVES * 2 + n), name: `new-${n}`, treeHash: hash(n), size: n });
  });
  figures.upload = figures.uploads / UPLOADS;
  // The reference: the same disk's bare cost of appending a line and fdatasyncing it, right now.
  const probe = openSync(join(dir, "fsync-probe"), "a");
  const line = Buffer.alloc(400, 0x61);
  await time("fsyncs", () => {
    for (let n = 0; n < 300; n++) {
      writeSync(probe, line);
      fdatasyncSync(probe);
    }
  });
  closeSync(probe);
  figures.fsync = figures.fsyncs / 300;
  // Eight uploads in flight at once (a parallel multi-upload): they share locks and fsyncs.
  await time("uploads8", async () => {
    const next = { n: 0 };
    const worker = async () => {
      while (next.n < UPLOADS) {
        const n = next.n++;
        await cache.recordUpload("vault", { id: id(ARCHIVES * 3 + n), name: `par-${n}`, treeHash: hash(n), size: n });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  });
  figures.upload8 = figures.uploads8 / UPLOADS;
  await time("checkpoint", () => cache.checkpoint());
  await cache.close();
  process.stdout.write(JSON.stringify(figures));
} else {
  const { build } = await import("tsup");
  await build({
    entry: { index: join(ROOT, "src/cache/index.ts") },
    outDir: BUNDLE,
    format: ["esm"],
    platform: "node",
    target: "node20",
    external: ["sql.js"],
    silent: true,
    config: false,
  });
  const dir = await benchDir("cache");
  await rm(dir, { recursive: true, force: true });
  console.log(`building a cache of ${ARCHIVES} archives + ${JOURNALED} journaled uploads in ${dir} ...`);
  const populate = await measure(process.execPath, [self, "populate", dir]);
  if (populate.code !== 0) throw new Error("populate failed");
  const sizes = await Promise.all(["db", "journal"].map(async (f) => (await stat(join(dir, f))).size));
  console.log(
    `built in ${populate.seconds.toFixed(1)} s: db ${fmt.mb(sizes[0])}, journal ${fmt.mb(sizes[1])}; load ` +
      `average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`,
  );
  const run = await measure(process.execPath, [self, "work", dir]);
  if (run.code !== 0) throw new Error("benchmark worker failed");
  const f = JSON.parse(run.stdout);
  const results = [];
  const ms = (x) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
  report(results, "open (load + journal replay)", ms(f.open), "<= 2000 ms", f.open <= 2000);
  report(results, `archive list of ${f.rows} archives to /dev/null`, ms(f.list), "<= 3000 ms", f.list <= 3000);
  report(results, "one ref lookup after open (worst of 4)", ms(f.lookup), "<= 5 ms", f.lookup <= 5);
  report(results, "record one completed upload incl. fsync (1000 sequential)", ms(f.upload), "<= 2 ms", f.upload <= 2);
  console.log(
    `      (reference: bare append + fdatasync on the same disk ${ms(f.fsync)}; our overhead ` +
      `${ms(Math.max(0, f.upload - f.fsync))})`,
  );
  console.log(`      (with 8 uploads in flight: ${ms(f.upload8)} each)`);
  report(results, "checkpoint", ms(f.checkpoint), "<= 3000 ms", f.checkpoint <= 3000);
  console.log(
    `      (one checkpoint per ~${JOURNALED} uploads at the 4 MiB default adds ` +
      `${ms(f.checkpoint / JOURNALED)} per upload)`,
  );
  report(results, "peak RSS", fmt.mb(run.peakRssBytes), "<= 1024 MB", run.peakRssBytes <= 1024 * MiB);
  if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
  process.exitCode = results.every(Boolean) ? 0 : 1;
}
