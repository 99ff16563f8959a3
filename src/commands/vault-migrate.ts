// `glacier vault migrate VAULT s3://BUCKET[/PREFIX] [--storage-class C] [--tier T] [--max-bytes-per-day N]
// [--max-jobs N] [--shard I/N] [--json]` (docs/migrate.md): the plan of moving a vault's archives to S3
// objects, from a recent inventory (taken like `vault sync` does: exit 75 while the job is pending),
// printed before anything is spent: the key of each archive on stdout, the totals and costs on stderr.
import { PendingError, UsageError } from "../core/errors.ts";
import { formatMigratePlan, planJsonLine, planLine, planTotals } from "../core/migrate-format.ts";
import { DEFAULT_MAX_JOBS, planMigration, type MigrateOptions } from "../core/migrate-plan.ts";
import { parseByteSize } from "../core/multipart.ts";
import { pricesFor } from "../core/prices.ts";
import { S3_PRICES_2026 } from "../core/prices/s3-2026.ts";
import { parseS3Address, s3AddressProblem, type S3Address } from "../core/s3-address.ts";
import { isS3StorageClass, s3PricesFor, S3_STORAGE_CLASSES } from "../core/s3-prices.ts";
import { parseShard } from "../core/shard.ts";
import { assertVaultName } from "../core/vault-name.ts";
import { loadPriceTable } from "../platform/price-file.ts";
import { parseTier } from "./archive-retrieve.ts";
import type { Output } from "../platform/output.ts";
import type { Deps } from "./deps.ts";
import { hours } from "./shared/max-age.ts";
import { syncVault } from "./shared/sync.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface MigrateCommandOptions {
  vault: string;
  target: S3Address;
  plan: Omit<MigrateOptions, "prefix">;
  wait: boolean;
  maxAgeHours: number;
  json: boolean;
  prices?: string;
}

export function parse(raw: Invocation<typeof specs.vaultMigrate>): MigrateCommandOptions {
  const vault = raw.args[0];
  assertVaultName(vault);
  const problem = s3AddressProblem(raw.args[1]);
  if (problem !== undefined) throw new UsageError(problem);
  const target = parseS3Address(raw.args[1]);
  const storageClass = (text(raw.flags.storageClass) ?? "DEEP_ARCHIVE").toUpperCase();
  if (!isS3StorageClass(storageClass))
    throw new UsageError(
      `--storage-class: expected one of ${S3_STORAGE_CLASSES.join(", ")}, ` +
        `got ${JSON.stringify(raw.flags.storageClass)}`,
    );
  const tier = text(raw.flags.tier);
  const maxBytesPerDay = text(raw.flags.maxBytesPerDay);
  const shard = text(raw.flags.shard);
  const plan: MigrateCommandOptions["plan"] = {
    storageClass,
    tier: tier === undefined ? "Bulk" : parseTier(tier),
    maxJobs: wholeNumber(raw.flags.maxJobs, "--max-jobs") ?? DEFAULT_MAX_JOBS,
  };
  if (maxBytesPerDay !== undefined) {
    const bytes = parseByteSize(maxBytesPerDay);
    if (bytes === undefined)
      throw new UsageError(
        `--max-bytes-per-day: expected a byte count such as 500G, got ${JSON.stringify(maxBytesPerDay)}`,
      );
    plan.maxBytesPerDay = bytes;
  }
  if (shard !== undefined) plan.shard = parseShard(shard);
  const filePrefix = text(raw.flags.fileprefix);
  if (filePrefix !== undefined && !raw.flags.annexLayout) throw new UsageError("--fileprefix needs --annex-layout");
  if (raw.flags.annexLayout) plan.annex = { filePrefix: filePrefix ?? "" };
  return {
    vault,
    target,
    plan,
    wait: raw.flags.wait,
    maxAgeHours: hours(raw.flags.maxAge, 24),
    json: raw.flags.json,
    ...(typeof raw.flags.prices === "string" ? { prices: raw.flags.prices } : {}),
  };
}

/** An option's value as commander gives it: a string, or undefined when not given. */
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

function wholeNumber(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${flag}: expected a whole number from 1, got ${JSON.stringify(value)}`);
  return n;
}

/** Lines written to stdout in batches of about this many characters (a million keys is ~200 MB). */
const BATCH_CHARS = 1 << 20;

export async function run(options: MigrateCommandOptions, deps: Deps): Promise<void> {
  const synced = await syncVault(deps, {
    vault: options.vault,
    wait: options.wait,
    fix: false,
    maxAgeHours: options.maxAgeHours,
  });
  if (!synced.synced) throw new PendingError(synced.message);
  const [cache, settings] = await Promise.all([deps.cache(), deps.settings()]);
  const vaultPrices = pricesFor(await loadPriceTable(options.prices ?? deps.env.GLACIER_PRICES), settings.region);
  const cached = await cache.list(options.vault);
  // sql.js holds the whole database in memory; released now, a vault of millions of archives is
  // planned in half the memory (test/bench/migrate-plan.bench.mjs). Closing twice is harmless.
  await cache.close();
  await printPlan(options, deps.output, {
    cached,
    now: deps.clock.now(),
    vaultPrices,
    s3Prices: s3PricesFor(S3_PRICES_2026, settings.region),
  });
}

/** Plans from the cached archives and prints the plan (the part test/bench/migrate-plan.bench.mjs times). */
export async function printPlan(
  options: MigrateCommandOptions,
  output: Output,
  input: Omit<Parameters<typeof planMigration>[0], "options">,
): Promise<void> {
  const plan = planMigration({ ...input, options: { ...options.plan, prefix: options.target.prefix } });
  const line = options.json ? planJsonLine : planLine;
  let batch = "";
  for (const item of plan.items) {
    batch += line(item);
    if (batch.length >= BATCH_CHARS) {
      await output.data(batch);
      batch = "";
    }
  }
  if (options.json) batch += `${JSON.stringify({ totals: planTotals(plan) })}\n`;
  if (plan.options.annex)
    output.info(
      `git-annex layout: ${plan.counts.name} archives named ${JSON.stringify(plan.options.annex.filePrefix)} + key ` +
        `go to ${options.target.prefix}KEY; ${plan.counts["by-id"]} others (no key, or older copies of a key) ` +
        `go to ${options.target.prefix}by-id/`,
    );
  if (batch !== "") await output.data(batch);
  for (const m of formatMigratePlan(plan, {
    vault: options.vault,
    url: `s3://${options.target.bucket}/${options.target.prefix}`,
  })) {
    if (m.level === "info") output.info(m.text);
    else output.warn(m.text);
  }
}
