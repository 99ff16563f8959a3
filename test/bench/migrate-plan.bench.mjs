// Benchmark of the migration plan: `glacier vault migrate` planning a vault of 1,000,000 archives
// (BENCH_MIGRATE_ARCHIVES) from the archive cache, the part of the command that runs once its inventory
// is synced (src/commands/vault-migrate.ts printPlan: cache list, keys, costs, one line per archive),
// in a process of its own. Targets: at most 60 s and 1.5 GB peak RSS. Reference, measured in the same
// run in interleaved rounds: `JSON.parse` of the same vault's inventory JSON (what any planner must at
// least read) in a process of its own. Each figure is the median of BENCH_ROUNDS rounds (default 3).
// The archives: names as a backup tool leaves them (folders of files), a tenth of them uploaded twice,
// a twentieth without a name.
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { archiveId, fillCache } from "./cache-fill.mjs";
import { benchDir, fmt, peakRss, report, spread } from "./lib.mjs";

const ARCHIVES = Number(process.env.BENCH_MIGRATE_ARCHIVES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TIME_LIMIT = 60;
const RSS_LIMIT = 1.5 * 1024 ** 3;
const dir = await benchDir("migrate-plan");
const cacheDir = join(dir, `cache-${ARCHIVES}`);
const inventory = join(dir, `inventory-${ARCHIVES}.json`);
const driver = fileURLToPath(
  new URL("../../node_modules/.cache/glacier-bench/migrate-plan-driver.mjs", import.meta.url),
);
await build({
  entryPoints: [fileURLToPath(new URL("./migrate-plan.entry.ts", import.meta.url))],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: driver,
  packages: "external",
  logLevel: "error",
  absWorkingDir: fileURLToPath(new URL("../..", import.meta.url)),
});

const T0 = Date.UTC(2024, 0, 1);
function archive(n) {
  const duplicate = n % 10 === 9; // the same name as archive n - 1, uploaded a day later
  const name =
    n % 20 === 7
      ? null
      : `host/home/user/files/${Math.floor((duplicate ? n - 1 : n) / 100)}/file-${duplicate ? n - 1 : n}.dat`;
  return {
    id: archiveId(n),
    name,
    treeHash: ((n * 2654435761) % 2 ** 32).toString(16).padStart(64, "0"),
    size: 1024 * 1024 + (n % 4096) * 1024,
    creationDate: T0 + n * 1000 + (duplicate ? 86_400_000 : 0),
  };
}

if (!existsSync(join(cacheDir, "db"))) {
  console.log(`filling a cache with ${ARCHIVES} archives in ${cacheDir} ...`);
  await rm(cacheDir, { recursive: true, force: true });
  await fillCache(
    cacheDir,
    Array.from({ length: ARCHIVES }, (_, n) => archive(n)),
  );
}
if (!existsSync(inventory)) {
  console.log(`writing the same vault's inventory JSON to ${inventory} ...`);
  const parts = [
    `{"VaultARN":"arn:aws:glacier:us-east-1:012345678901:vaults/bench",` +
      `"InventoryDate":"2026-12-01T00:00:00Z","ArchiveList":[`,
  ];
  for (let n = 0; n < ARCHIVES; n++) {
    const a = archive(n);
    parts.push(
      (n === 0 ? "" : ",") +
        JSON.stringify({
          ArchiveId: a.id,
          ArchiveDescription: a.name ?? "",
          CreationDate: new Date(a.creationDate).toISOString(),
          Size: a.size,
          SHA256TreeHash: a.treeHash,
        }),
    );
  }
  parts.push("]}");
  writeFileSync(inventory, parts.join(""));
}

/** Runs node with args, stdout to /dev/null, stderr collected; resolves seconds, peak RSS and stderr. */
function run(args) {
  return new Promise((resolve, reject) => {
    const devNull = openSync("/dev/null", "w");
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ["ignore", devNull, "pipe"] });
    closeSync(devNull);
    let peak = 0;
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setInterval(() => (peak = Math.max(peak, peakRss(child.pid))), 20);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`${args.join(" ")} exited ${code}: ${stderr}`));
      else resolve({ seconds, peakRssBytes: peak, stderr });
    });
  });
}

const parseScript =
  `const a = JSON.parse(require("fs").readFileSync(${JSON.stringify(inventory)}, "utf8")).ArchiveList;` +
  `if (a.length !== ${ARCHIVES}) process.exit(1);`;
const ours = [];
const reference = [];
for (let round = 0; round < ROUNDS; round++) {
  reference.push(await run(["-e", parseScript]));
  const planned = await run([driver, "plan", cacheDir, "bench"]);
  if (!planned.stderr.includes(`archives: ${ARCHIVES} archives`))
    throw new Error(`the plan does not count ${ARCHIVES} archives:\n${planned.stderr}`);
  ours.push(planned);
  console.log(
    `round ${round + 1}: plan ${planned.seconds.toFixed(2)} s, ${fmt.mb(planned.peakRssBytes)}; ` +
      `JSON.parse ${reference.at(-1).seconds.toFixed(2)} s, ${fmt.mb(reference.at(-1).peakRssBytes)}`,
  );
}
console.log(ours.at(-1).stderr.trimEnd());
const o = spread(ours);
const r = spread(reference);
const results = [];
const rounds = ROUNDS === 1 ? "one round" : `median of ${ROUNDS} rounds, ${o.best.toFixed(2)}..${o.worst.toFixed(2)} s`;
report(
  results,
  `plan of ${ARCHIVES} archives (${rounds}; JSON.parse of the inventory ${r.median.toFixed(2)} s, ` +
    `${fmt.ratio(o.median / r.median)})`,
  `${o.median.toFixed(2)} s`,
  `<= ${TIME_LIMIT} s`,
  o.median <= TIME_LIMIT,
);
report(
  results,
  `peak RSS of the plan (JSON.parse of the inventory ${fmt.mb(r.rss)})`,
  fmt.mb(o.rss),
  `<= ${fmt.mb(RSS_LIMIT)}`,
  o.rss <= RSS_LIMIT,
);
process.exitCode = results.every(Boolean) ? 0 : 1;
