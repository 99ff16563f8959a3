// One cost model per backend, so a plan prices what it does without knowing where it is stored:
// Glacier vaults (src/core/cost.ts, docs/glacier-api.md#prices) or an S3 storage class
// (src/core/s3-cost.ts, https://aws.amazon.com/s3/pricing/). A backend plugin's composition chooses
// the model; plans and formatters only call it.
import { earlyDeletionFee, monthlyStorageCost, retrievalCost, uploadRequestCost, uploadRequestCount } from "./cost.ts";
import { choosePartSize } from "./multipart.ts";
import type { ResolvedPrices } from "./prices.ts";
import { minimumStorageDays, type StorageClass } from "./retention.ts";
import {
  s3EarlyDeletionFee,
  s3OverheadWarning,
  s3RestoreCost,
  s3StorageCost,
  s3UploadRequestCount,
  s3WriteRequestCost,
} from "./s3-cost.ts";
import type { ResolvedS3Prices, S3StorageClass } from "./s3-prices.ts";
import type { Tier } from "./types.ts";

export interface CostModel {
  /** Whose prices, for the estimate's line: "us-east-1 prices of 2026-11-27". */
  label: string;
  /** What the minimum storage duration and retention are looked up by. */
  storageClass: StorageClass;
  minimumStorageDays: number;
  /** Billed requests to upload a file of `size` (`partSize`: --part-size when given). */
  uploadRequests(size: number, partSize?: number): number;
  uploadRequestCost(requests: number): number;
  /** A month of storage for objects (archives) of these sizes, overhead included. */
  monthlyStorage(sizes: readonly number[]): number;
  /** The fee for deleting or overwriting an object of `size` uploaded at `uploadedAt`. */
  earlyDeletionFee(size: number, uploadedAt: number, now: number): number;
  /** Getting `count` objects of `bytes` back at `tier`; undefined when the tier is not offered. */
  retrievalCost(bytes: number, count: number, tier: Tier, days?: number): number | undefined;
  /** A warning when small objects make the per-object overhead dominate the storage cost. */
  smallObjectWarning(bytes: number, objects: number): string | undefined;
}

function pricedAt(prices: { region: string; pricedAs: string; asOf: string }, what: string): string {
  return prices.pricedAs === prices.region
    ? `${prices.region} ${what}prices of ${prices.asOf}`
    : `${prices.pricedAs} ${what}prices of ${prices.asOf} (none listed for ${prices.region})`;
}

export function vaultCostModel(prices: ResolvedPrices): CostModel {
  return {
    label: pricedAt(prices, ""),
    storageClass: "GLACIER_VAULT",
    minimumStorageDays: minimumStorageDays("GLACIER_VAULT"),
    uploadRequests: (size, partSize) => uploadRequestCount(size, choosePartSize(size, partSize)),
    uploadRequestCost: (requests) => uploadRequestCost(requests, prices),
    monthlyStorage: (sizes) =>
      monthlyStorageCost(
        sizes.reduce((a, b) => a + b, 0),
        sizes.length,
        prices,
      ),
    earlyDeletionFee: (size, uploadedAt, now) => earlyDeletionFee(size, uploadedAt, now, prices),
    retrievalCost: (bytes, count, tier) => retrievalCost(bytes, count, tier, prices),
    smallObjectWarning: () => undefined,
  };
}

/**
 * What a backend stores into, as far as prices go: the description a backend plugin gives (a
 * capability) so that a plan picks the right table and model (src/platform/price-file.ts).
 */
export type PricedBackend = { kind: "vault" } | { kind: "s3"; storageClass: S3StorageClass; upload?: S3UploadShape };

export interface S3UploadShape {
  /** Objects up to this size are sent with one PutObject. */
  threshold?: number;
  partSize?: number;
}

/** The model of one S3 storage class, as the S3 backend writes it (`shape`: its upload threshold and part size). */
export function s3CostModel(
  prices: ResolvedS3Prices,
  storageClass: S3StorageClass,
  shape: S3UploadShape = {},
): CostModel {
  return {
    label: pricedAt(prices, `S3 ${storageClass} `),
    storageClass,
    minimumStorageDays: minimumStorageDays(storageClass),
    uploadRequests: (size, partSize) => {
      const part = partSize ?? shape.partSize ?? choosePartSize(size);
      return s3UploadRequestCount(size, part, shape.threshold ?? part);
    },
    uploadRequestCost: (requests) => s3WriteRequestCost(requests, storageClass, prices),
    monthlyStorage: (sizes) => s3StorageCost(sizes, storageClass, prices).total,
    earlyDeletionFee: (size, uploadedAt, now) => s3EarlyDeletionFee(size, uploadedAt, now, storageClass, prices),
    retrievalCost: (bytes, count, tier, days = 1) =>
      s3RestoreCost(bytes, count, storageClass, tier, days, prices)?.total,
    smallObjectWarning: (bytes, objects) => s3OverheadWarning(bytes, objects, storageClass, prices),
  };
}

/** The storage class whose minimum duration applies to what a backend prices. */
export function retentionClass(pricing: PricedBackend): StorageClass {
  return pricing.kind === "s3" ? pricing.storageClass : "GLACIER_VAULT";
}
