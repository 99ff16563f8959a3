// Bench driver for the migration plan (bundled by migrate-plan.bench.mjs with esbuild, run with plain node):
//   plan CACHE_DIR VAULT   open the archive cache, plan the vault's move to s3://bench-bucket/vault and
//                          print the plan as `glacier vault migrate` does once its inventory is synced
//                          (src/commands/vault-migrate.ts printPlan): keys on stdout, totals on stderr
import { openCache } from "../../src/cache/index.ts";
import { printPlan, type MigrateCommandOptions } from "../../src/commands/vault-migrate.ts";
import { DEFAULT_MAX_JOBS } from "../../src/core/migrate-plan.ts";
import { parseS3Address } from "../../src/core/s3-address.ts";
import { pricesFor } from "../../src/core/prices.ts";
import { GLACIER_PRICES_2026 } from "../../src/core/prices/glacier-2026.ts";
import { S3_PRICES_2026 } from "../../src/core/prices/s3-2026.ts";
import { s3PricesFor } from "../../src/core/s3-prices.ts";
import { createOutput } from "../../src/platform/output.ts";
import { systemClock } from "../../src/platform/system-clock.ts";

const [mode, dir, vault] = process.argv.slice(2);
if (mode !== "plan" || dir === undefined || vault === undefined) throw new Error("usage: plan CACHE_DIR VAULT");
// The defaults of `glacier vault migrate VAULT s3://bench-bucket/vault`.
const options: MigrateCommandOptions = {
  vault,
  target: parseS3Address("s3://bench-bucket/vault"),
  plan: { storageClass: "DEEP_ARCHIVE", tier: "Bulk", maxJobs: DEFAULT_MAX_JOBS },
  wait: false,
  maxAgeHours: 24,
  json: false,
};
const cache = await openCache({ dir, namespace: { region: "us-east-1" }, clock: systemClock });
const output = createOutput({ stdout: process.stdout, stderr: process.stderr });
const cached = await cache.list(vault);
await printPlan(options, output, {
  cached,
  now: systemClock.now(),
  vaultPrices: pricesFor(GLACIER_PRICES_2026, "us-east-1"),
  s3Prices: s3PricesFor(S3_PRICES_2026, "us-east-1"),
});
await cache.close();
