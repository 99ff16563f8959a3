// The cost model of the S3 storage classes (https://aws.amazon.com/s3/pricing/): storage with each
// class's per-object overhead and minimum billable size, requests, early deletion before the minimum
// storage duration, and restores per tier. Pure arithmetic over an S3RegionPrices; amounts are
// dollars, unrounded (the formatters round).
import { formatUsd } from "./human-units.ts";
import { BILLING_MONTH_DAYS, DAY_MS, GB } from "./prices.ts";
import type { S3RegionPrices, S3StorageClass } from "./s3-prices.ts";
import type { Tier } from "./types.ts";

/** What a month of storage costs, split into the data and the per-object overhead. */
export interface S3StorageCost {
  /** The objects' bytes (each at least the class's minimum billable size) at the class's rate. */
  data: number;
  /** 8 KB per object at STANDARD rates plus 32 KB at the class's rate (GLACIER, DEEP_ARCHIVE). */
  overhead: number;
  total: number;
}

/** The bytes billed for an object of `size`: GLACIER_IR bills anything smaller than 128 KB as 128 KB. */
export function s3BilledBytes(size: number, storageClass: S3StorageClass, prices: S3RegionPrices): number {
  return Math.max(size, prices.classes[storageClass].minimumBillableBytes);
}

/** A month of the per-object overhead of `objects` objects in a class. */
export function s3OverheadPerMonth(objects: number, storageClass: S3StorageClass, prices: S3RegionPrices): number {
  const { overhead, storagePerGbMonth } = prices.classes[storageClass];
  const standard = prices.classes.STANDARD.storagePerGbMonth;
  return (objects * (overhead.standardBytes * standard + overhead.classBytes * storagePerGbMonth)) / GB;
}

/** A month of storage for objects of these sizes in a class. */
export function s3StorageCost(
  sizes: readonly number[],
  storageClass: S3StorageClass,
  prices: S3RegionPrices,
): S3StorageCost {
  const billed = sizes.reduce((sum, size) => sum + s3BilledBytes(size, storageClass, prices), 0);
  const data = (billed / GB) * prices.classes[storageClass].storagePerGbMonth;
  const overhead = s3OverheadPerMonth(sizes.length, storageClass, prices);
  return { data, overhead, total: data + overhead };
}

/**
 * Billed requests to upload an object of `size`: one PutObject up to `threshold`, else
 * CreateMultipartUpload + one UploadPart per part + CompleteMultipartUpload (all PUT/POST requests).
 */
export function s3UploadRequestCount(size: number, partSize: number, threshold: number = partSize): number {
  return size <= threshold ? 1 : Math.ceil(size / partSize) + 2;
}

/** PUT, COPY, POST and LIST requests are billed at the price of the class written. */
export function s3WriteRequestCost(requests: number, storageClass: S3StorageClass, prices: S3RegionPrices): number {
  return (requests * prices.classes[storageClass].writePer1000Requests) / 1000;
}

/** Lifecycle transitions of `objects` objects into a class. */
export function s3TransitionCost(objects: number, storageClass: S3StorageClass, prices: S3RegionPrices): number {
  return (objects * prices.classes[storageClass].transitionPer1000Requests) / 1000;
}

/**
 * The fee for deleting (or overwriting in an unversioned bucket) an object of `size` uploaded at
 * `uploadedAt`: the storage of the days left of the class's minimum duration
 * (https://aws.amazon.com/s3/pricing/: "objects that are deleted, overwritten, or transitioned ...
 * before the minimum ... incur a pro-rated charge"). 0 for STANDARD and from the last day on.
 */
export function s3EarlyDeletionFee(
  size: number,
  uploadedAt: number,
  now: number,
  storageClass: S3StorageClass,
  prices: S3RegionPrices,
): number {
  const c = prices.classes[storageClass];
  const remainingDays = Math.max(0, c.minimumStorageDays - Math.max(0, now - uploadedAt) / DAY_MS);
  return (s3BilledBytes(size, storageClass, prices) / GB) * c.storagePerGbMonth * (remainingDays / BILLING_MONTH_DAYS);
}

export interface S3RestoreCost {
  /** RestoreObject at the tier: per GB and per 1,000 requests (GLACIER_IR: its per-GB retrieval). */
  restore: number;
  /** The restored copy, billed at STANDARD rates for the days it is kept, besides the archived object. */
  copy: number;
  /** GET requests to download the objects, one per object. */
  reads: number;
  total: number;
}

/**
 * Getting `objects` objects of `bytes` in all back from a class. GLACIER and DEEP_ARCHIVE are
 * restored at `tier` and their copies kept `days` days; GLACIER_IR and STANDARD are read at once.
 * Undefined when the class does not offer the tier (Expedited for DEEP_ARCHIVE). Egress is not included.
 */
export function s3RestoreCost(
  bytes: number,
  objects: number,
  storageClass: S3StorageClass,
  tier: Tier,
  days: number,
  prices: S3RegionPrices,
): S3RestoreCost | undefined {
  const c = prices.classes[storageClass];
  const reads = (objects * c.readPer1000Requests) / 1000;
  const archived = c.restore.Standard !== undefined || c.restore.Bulk !== undefined;
  let restore = (bytes / GB) * c.retrievalPerGb;
  let copy = 0;
  if (archived) {
    const price = c.restore[tier];
    if (price === undefined) return undefined;
    restore = (bytes / GB) * price.perGb + (objects * price.per1000Requests) / 1000;
    copy = (bytes / GB) * prices.classes.STANDARD.storagePerGbMonth * (days / BILLING_MONTH_DAYS);
  }
  return { restore, copy, reads, total: restore + copy + reads };
}

/** How much more than the data the per-object overhead (or the minimum billable size) costs. */
export function s3OverheadRatio(bytes: number, objects: number, storageClass: S3StorageClass, prices: S3RegionPrices) {
  const c = prices.classes[storageClass];
  const data = (bytes / GB) * c.storagePerGbMonth;
  // From the average size: objects smaller than the minimum are billed as the minimum.
  const padding = Math.max(0, objects * c.minimumBillableBytes - bytes);
  const extra = s3OverheadPerMonth(objects, storageClass, prices) + (padding / GB) * c.storagePerGbMonth;
  return { data, extra, ratio: data > 0 ? extra / data : Infinity };
}

const kib = (bytes: number) => (bytes < 10 * 1024 ? (bytes / 1024).toFixed(1) : Math.round(bytes / 1024).toString());

/**
 * A warning when the objects are so small on average that what each object costs besides its bytes
 * (the 40 KB of GLACIER and DEEP_ARCHIVE, the 128 KB minimum of GLACIER_IR) costs at least as much
 * as the data: "objects average 4.0 KiB in DEEP_ARCHIVE: the 40 KiB per-object overhead costs 54x the
 * data's storage (a TiB of such objects costs $56.23 a month instead of $1.01) ...". Undefined otherwise.
 */
export function s3OverheadWarning(
  bytes: number,
  objects: number,
  storageClass: S3StorageClass,
  prices: S3RegionPrices,
): string | undefined {
  if (objects === 0) return undefined;
  const { data, extra, ratio } = s3OverheadRatio(bytes, objects, storageClass, prices);
  if (bytes === 0 || extra === 0 || ratio < 1) return undefined;
  const c = prices.classes[storageClass];
  const what =
    c.overhead.standardBytes + c.overhead.classBytes > 0
      ? `the ${kib(c.overhead.standardBytes + c.overhead.classBytes)} KiB per-object overhead`
      : `${storageClass}'s ${kib(c.minimumBillableBytes)} KiB minimum billable size`;
  const times = `${ratio >= 10 ? String(Math.round(ratio)) : ratio.toFixed(1)}x`;
  // Per TiB of data, so the amounts mean something whatever the plan's size.
  const perTiB = (amount: number) => formatUsd((amount * 1024 * GB) / bytes);
  return (
    `objects average ${kib(bytes / objects)} KiB in ${storageClass}: ${what} costs ${times} the data's storage ` +
    `(a TiB of such objects costs ${perTiB(data + extra)} a month instead of ${perTiB(data)}); ` +
    `pack small files together, or store them in STANDARD`
  );
}
