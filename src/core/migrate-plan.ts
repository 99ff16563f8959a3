// The plan of `glacier vault migrate` (docs/migrate.md#the-plan): which archives of a vault go to which
// S3 object keys, and what moving them costs and takes, before anything is spent. Pure: the cached
// inventory, the prices and `now` come in; nothing is read or requested here.
import { earlyDeletionFee, monthlyStorageCost, retrievalCost, uploadRequestCount } from "./cost.ts";
import { uploadedAt } from "./live-archives.ts";
import { annexKeyOfName } from "./annex-layout.ts";
import { assignKeys, type KeyedArchive } from "./migrate-keys.ts";
import { DAY_MS, GB, MINIMUM_STORAGE_DAYS, type ResolvedPrices } from "./prices.ts";
import type { ResolvedS3Prices, S3StorageClass } from "./s3-prices.ts";
import { inShard, type Shard } from "./shard.ts";
import type { CachedArchive, Tier } from "./types.ts";

const MiB = 1024 * 1024;
/** Range size of the streamed copy: one S3 part per range, tree-hash aligned (a power of two MiB). */
export const MIGRATE_PART_SIZE = 16 * MiB;
const MAX_S3_PARTS = 10_000;
/** Retrieval jobs in flight when --max-jobs is not given. */
export const DEFAULT_MAX_JOBS = 1000;
/**
 * How long a retrieval job of each tier takes at most, for the duration estimate: Expedited 1-5
 * minutes, Standard 3-5 hours, Bulk 5-12 hours (docs/glacier-api.md#job-timing).
 */
const TIER_HOURS: Readonly<Record<Tier, number>> = { Expedited: 5 / 60, Standard: 5, Bulk: 12 };

export interface MigrateOptions {
  /** "" or a folder ending in "/". */
  prefix: string;
  storageClass: S3StorageClass;
  tier: Tier;
  /** Bytes retrieved per day at most; undefined: no limit. */
  maxBytesPerDay?: number;
  /** Retrieval jobs in flight at most. */
  maxJobs: number;
  shard?: Shard;
  /** Objects named as git-annex keys after the vault's `fileprefix` (docs/migrate.md#git-annex-repositories). */
  annex?: { filePrefix: string };
}

export interface MigrateCosts {
  retrieval: number;
  /** S3 writes (PutObject, or Create + parts + Complete) and one HeadObject per object. */
  requests: number;
  requestCount: number;
  storageBeforePerMonth: number;
  storageAfterPerMonth: number;
  /** Deleting the archives younger than 90 days from the vault after the copy. */
  earlyDeletion: number;
  earlyDeletionArchives: number;
  unknownAgeArchives: number;
}

export interface MigratePlan {
  options: MigrateOptions;
  /** This shard's archives with their keys, sorted by key. */
  items: KeyedArchive[];
  /** Live archives of the vault, every shard's. */
  vaultArchives: number;
  bytes: number;
  /** Archives of this shard whose size the cache does not know (counted as 0 bytes). */
  unknownSize: number;
  counts: Record<KeyedArchive["placement"], number>;
  costs: MigrateCosts;
  /** Days the retrievals take at the pace: the slower of the byte limit and the job limit. */
  days: number;
  vaultPrices: ResolvedPrices;
  s3Prices: ResolvedS3Prices;
}

/** Parts of the streamed copy of `size` bytes: `start` (MIGRATE_PART_SIZE) doubled until 10,000 parts hold it. */
export function migratePartSize(size: number, start = MIGRATE_PART_SIZE): number {
  let part = start;
  while (Math.ceil(size / part) > MAX_S3_PARTS) part *= 2;
  return part;
}

/** A month of one object of `size` bytes in an S3 class, with the per-object overhead and minimum size. */
export function s3MonthlyStorage(size: number, storageClass: S3StorageClass, prices: ResolvedS3Prices): number {
  const own = prices.classes[storageClass];
  const standard = prices.classes.STANDARD;
  const billed = Math.max(size, own.minimumBillableBytes) + own.overhead.classBytes;
  return (billed / GB) * own.storagePerGbMonth + (own.overhead.standardBytes / GB) * standard.storagePerGbMonth;
}

export function planMigration(input: {
  cached: Iterable<CachedArchive>;
  options: MigrateOptions;
  now: number;
  vaultPrices: ResolvedPrices;
  s3Prices: ResolvedS3Prices;
}): MigratePlan {
  const { options, now, vaultPrices, s3Prices } = input;
  // Keys come from the whole vault, so that every shard agrees on them; the shard filter comes after.
  const annex = options.annex;
  const layout = annex && { objectName: (name: string | null) => annexKeyOfName(name, annex.filePrefix) };
  const keyed = assignKeys(input.cached, options.prefix, layout);
  const items = options.shard ? keyed.filter((k) => inShard(k.archive.id, options.shard)) : keyed;
  const counts = { name: 0, older: 0, "by-id": 0 };
  const own = s3Prices.classes[options.storageClass];
  let bytes = 0;
  let unknownSize = 0;
  let writes = 0;
  let storageAfter = 0;
  let earlyDeletion = 0;
  let earlyDeletionArchives = 0;
  let unknownAgeArchives = 0;
  for (const { archive, placement } of items) {
    counts[placement]++;
    const size = archive.size ?? 0;
    if (archive.size === null) unknownSize++;
    bytes += size;
    writes += uploadRequestCount(size, migratePartSize(size));
    storageAfter += s3MonthlyStorage(size, options.storageClass, s3Prices);
    const at = uploadedAt(archive);
    if (at === null) unknownAgeArchives++;
    else if (now - at < MINIMUM_STORAGE_DAYS * DAY_MS) {
      earlyDeletionArchives++;
      earlyDeletion += earlyDeletionFee(size, at, now, vaultPrices);
    }
  }
  const requestCount = writes + items.length;
  const costs: MigrateCosts = {
    retrieval: retrievalCost(bytes, items.length, options.tier, vaultPrices),
    requests: (writes * own.writePer1000Requests + items.length * own.readPer1000Requests) / 1000,
    requestCount,
    storageBeforePerMonth: monthlyStorageCost(bytes, items.length, vaultPrices),
    storageAfterPerMonth: storageAfter,
    earlyDeletion,
    earlyDeletionArchives,
    unknownAgeArchives,
  };
  return {
    options,
    items,
    vaultArchives: keyed.length,
    bytes,
    unknownSize,
    counts,
    costs,
    days: migrationDays(items.length, bytes, options),
    vaultPrices,
    s3Prices,
  };
}

/** Rounds of --max-jobs jobs, each as long as the tier's slowest job, or bytes over the daily limit. */
export function migrationDays(archives: number, bytes: number, options: MigrateOptions): number {
  if (archives === 0) return 0;
  const byJobs = (Math.ceil(archives / options.maxJobs) * TIER_HOURS[options.tier]) / 24;
  const byBytes = options.maxBytesPerDay === undefined ? 0 : bytes / options.maxBytesPerDay;
  return Math.max(byJobs, byBytes);
}
