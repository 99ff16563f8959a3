// The price table of the S3 storage classes behind every S3 cost estimate, in the same spirit as the
// vault table (src/core/prices.ts): dated, typed, overridable by a JSON file in the same shape and
// validated here. The built-in table is src/core/prices/s3-2026.ts (https://aws.amazon.com/s3/pricing/).
import {
  readDatedTable,
  resolveRegion,
  type DatedPriceTable,
  type FieldReader,
  type ResolvedRegion,
} from "./price-table.ts";
import type { Tier } from "./types.ts";

/** The storage classes the S3 backend writes (https://aws.amazon.com/s3/storage-classes/). */
export type S3StorageClass = "STANDARD" | "GLACIER_IR" | "GLACIER" | "DEEP_ARCHIVE";
export const S3_STORAGE_CLASSES: readonly S3StorageClass[] = ["STANDARD", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"];

export function isS3StorageClass(value: string): value is S3StorageClass {
  return (S3_STORAGE_CLASSES as readonly string[]).includes(value);
}

/** The price of a restore (RestoreObject) at one tier: per GB restored and per 1,000 requests. */
export interface S3RestorePrice {
  perGb: number;
  per1000Requests: number;
}

export interface S3ClassPrices {
  /** Dollars per GB-month stored (the first 50 TB tier for STANDARD). */
  storagePerGbMonth: number;
  /** PUT, COPY, POST and LIST requests per 1,000 (each part and each multipart call counts). */
  writePer1000Requests: number;
  /** GET, SELECT and all other requests per 1,000 (DELETE is free). */
  readPer1000Requests: number;
  /** Lifecycle transitions into this class per 1,000 objects (0 for STANDARD, which is not a target). */
  transitionPer1000Requests: number;
  /** Data retrieval per GB on a read, for classes read without a restore (GLACIER_IR). */
  retrievalPerGb: number;
  /** Restore prices per tier; a tier the class does not offer is absent (DEEP_ARCHIVE has no Expedited). */
  restore: Partial<Record<Tier, S3RestorePrice>>;
  /** Deleting or overwriting an object earlier is billed as if it had been kept this long. */
  minimumStorageDays: number;
  /** A smaller object is billed as this size (128 KB for GLACIER_IR). */
  minimumBillableBytes: number;
  /** Index and metadata billed per object: bytes at STANDARD rates and bytes at this class's rate. */
  overhead: { standardBytes: number; classBytes: number };
}

export interface S3RegionPrices {
  classes: Record<S3StorageClass, S3ClassPrices>;
}

export type S3PriceTable = DatedPriceTable<S3RegionPrices>;
export type ResolvedS3Prices = ResolvedRegion<S3RegionPrices>;

export function s3PricesFor(table: S3PriceTable, region: string): ResolvedS3Prices {
  return resolveRegion(table, region, "S3 price table");
}

const TIERS: readonly Tier[] = ["Expedited", "Standard", "Bulk"];

function classPrices(raw: unknown, where: string, { fail, object, price, count }: FieldReader): S3ClassPrices {
  const c = object(raw, where);
  const restoreRaw = object(c.restore, `${where}.restore`);
  const restore: Partial<Record<Tier, S3RestorePrice>> = {};
  for (const key of Object.keys(restoreRaw))
    if (!(TIERS as readonly string[]).includes(key))
      fail(`${where}.restore.${key} is not a tier (${TIERS.join(", ")})`);
  for (const tier of TIERS) {
    if (restoreRaw[tier] === undefined) continue;
    const t = object(restoreRaw[tier], `${where}.restore.${tier}`);
    restore[tier] = {
      perGb: price(t.perGb, `${where}.restore.${tier}.perGb`),
      per1000Requests: price(t.per1000Requests, `${where}.restore.${tier}.per1000Requests`),
    };
  }
  const overhead = object(c.overhead, `${where}.overhead`);
  return {
    storagePerGbMonth: price(c.storagePerGbMonth, `${where}.storagePerGbMonth`),
    writePer1000Requests: price(c.writePer1000Requests, `${where}.writePer1000Requests`),
    readPer1000Requests: price(c.readPer1000Requests, `${where}.readPer1000Requests`),
    transitionPer1000Requests: price(c.transitionPer1000Requests, `${where}.transitionPer1000Requests`),
    retrievalPerGb: price(c.retrievalPerGb, `${where}.retrievalPerGb`),
    restore,
    minimumStorageDays: count(c.minimumStorageDays, `${where}.minimumStorageDays`),
    minimumBillableBytes: count(c.minimumBillableBytes, `${where}.minimumBillableBytes`),
    overhead: {
      standardBytes: count(overhead.standardBytes, `${where}.overhead.standardBytes`),
      classBytes: count(overhead.classBytes, `${where}.overhead.classBytes`),
    },
  };
}

/**
 * Checks a parsed S3 price file. `origin` names it in the one error message a malformed file gives:
 * "<origin>: not an S3 price table: <what is wrong>".
 */
export function parseS3PriceTable(value: unknown, origin: string): S3PriceTable {
  return readDatedTable(value, origin, "an S3 price table", (raw, where, read): S3RegionPrices => {
    const classesRaw = read.object(read.object(raw, where).classes, `${where}.classes`);
    const classes = {} as Record<S3StorageClass, S3ClassPrices>;
    for (const storageClass of S3_STORAGE_CLASSES)
      classes[storageClass] = classPrices(classesRaw[storageClass], `${where}.classes.${storageClass}`, read);
    return { classes };
  });
}
