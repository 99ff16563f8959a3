// `glacier vault migrate VAULT s3://BUCKET[/PREFIX] [--storage-class C] [--tier T] [--max-bytes-per-day N]
// [--max-jobs N] [--shard I/N] [--json]` (docs/migrate.md): the plan of moving a vault's archives to S3
// objects, from a recent inventory (taken like `vault sync` does: exit 75 while the job is pending),
// printed before anything is spent: the key of each archive on stdout, the totals and costs on stderr.
// With --commit [--delete-source] [--report PATH] [--concurrency N] the plan is applied
// (src/commands/shared/migrate-run.ts), paced, resumable from the ledger.
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
import { commitMigration } from "./shared/migrate-run.ts";
import { commitOptions } from "./shared/migrate-options.ts";
import { copyArchive, DEFAULT_COPY_CONCURRENCY } from "../glacier/migrate-copy.ts";
import { syncVault } from "./shared/sync.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface MigrateCommandOptions {
  vault: string;
  target: S3Address;
  plan: Omit<MigrateOptions, "prefix">;
  /** --storage-class was given (else the S3 uploads' class decides: the global option or its variable). */
  storageClassGiven?: boolean;
  commit?: { deleteSource: boolean; report?: string; concurrency: number };
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
  const report = text(raw.flags.report);
  const concurrency = wholeNumber(raw.flags.concurrency, "--concurrency");
  if (!raw.flags.commit) {
    const needsCommit = [
      raw.flags.deleteSource ? "--delete-source" : undefined,
      report !== undefined ? "--report" : undefined,
      concurrency !== undefined ? "--concurrency" : undefined,
    ].find((flag) => flag !== undefined);
    if (needsCommit) throw new UsageError(`${needsCommit} applies to --commit only`);
  }
  return {
    vault,
    target,
    plan,
    storageClassGiven: text(raw.flags.storageClass) !== undefined,
    ...(raw.flags.commit
      ? {
          commit: {
            deleteSource: raw.flags.deleteSource,
            ...(report !== undefined ? { report } : {}),
            concurrency: concurrency ?? DEFAULT_COPY_CONCURRENCY,
          },
        }
      : {}),
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
  const [cache, settings, port] = await Promise.all([deps.cache(), deps.settings(), deps.glacier()]);
  // A committed migration under way goes on from the cache and its ledger: a new inventory each day
  // would hold every cron run up for hours (docs/migrate.md#committing).
  const underWay = options.commit !== undefined && (await cache.migrations(options.vault)).length > 0;
  if (!underWay) {
    const synced = await syncVault(deps, {
      vault: options.vault,
      wait: options.wait,
      fix: false,
      maxAgeHours: options.maxAgeHours,
    });
    if (!synced.synced) throw new PendingError(synced.message);
  }
  const vaultPrices = pricesFor(await loadPriceTable(options.prices ?? deps.env.GLACIER_PRICES), settings.region);
  const address = targetAddress(options.target);
  // The objects get the class the S3 uploads of this run use: --storage-class (given before or after
  // `vault migrate`), else GLACIER_S3_STORAGE_CLASS, else DEEP_ARCHIVE (docs/backends.md#settings).
  const pricing = port.capabilities(address).pricing;
  const planOptions =
    options.storageClassGiven === true || pricing.kind !== "s3"
      ? options.plan
      : { ...options.plan, storageClass: pricing.storageClass };
  const input = {
    cached: await cache.list(options.vault),
    now: deps.clock.now(),
    vaultPrices,
    s3Prices: s3PricesFor(S3_PRICES_2026, settings.region),
  };
  if (options.commit) {
    const plan = planMigration({ ...input, options: { ...planOptions, prefix: options.target.prefix } });
    await commitMigration(
      deps,
      commitOptions(options, options.commit, plan, { address, cwd: deps.cwd, now: input.now }),
      plan.items,
      copyArchive,
    );
    return;
  }
  // sql.js holds the whole database in memory; released now, a vault of millions of archives is
  // planned in half the memory (test/bench/migrate-plan.bench.mjs). Closing twice is harmless.
  await cache.close();
  await printPlan({ ...options, plan: planOptions }, deps.output, input);
}

/** "s3://BUCKET" or "s3://BUCKET/PREFIX", as the port takes it. */
function targetAddress(target: S3Address): string {
  return `s3://${target.bucket}${target.prefix === "" ? "" : `/${target.prefix.slice(0, -1)}`}`;
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
