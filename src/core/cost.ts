// The cost model of plans (docs/glacier-api.md#prices; a cost in every dry-run and plan).
// Pure arithmetic over a ResolvedPrices; amounts are dollars, unrounded (the formatter rounds).
import { choosePartSize } from "./multipart.ts";
import {
  ARCHIVE_OVERHEAD_BYTES,
  BILLING_MONTH_DAYS,
  DAY_MS,
  GB,
  MINIMUM_STORAGE_DAYS,
  type RegionPrices,
} from "./prices.ts";
import type { Tier } from "./types.ts";

/**
 * Billed requests to upload `size` bytes, as the upload engine (glacier/upload.ts) sends them: one
 * UploadArchive when the file fits in one part, else InitiateMultipartUpload + one
 * UploadMultipartPart per part + CompleteMultipartUpload ("each UploadArchive /
 * UploadMultipartPart / Initiate / Complete counts").
 */
export function uploadRequestCount(size: number, partSize: number = choosePartSize(size)): number {
  return size <= partSize ? 1 : Math.ceil(size / partSize) + 2;
}

export function uploadRequestCost(requests: number, prices: RegionPrices): number {
  return (requests * prices.uploadPer1000Requests) / 1000;
}

/** A month of storage for `archives` new archives of `bytes` in all, with the 32 KB overhead each. */
export function monthlyStorageCost(bytes: number, archives: number, prices: RegionPrices): number {
  return ((bytes + archives * ARCHIVE_OVERHEAD_BYTES) / GB) * prices.storagePerGbMonth;
}

/**
 * The early-deletion fee for deleting an archive of `size` bytes uploaded at `uploadedAt`: "archives
 * deleted < 90 days after upload pay a prorated early-deletion fee = remaining days of storage"
 * (the 2013 example: $0.03/GB right after upload when storage was $0.01/GB-month). 0 from day 90 on.
 */
export function earlyDeletionFee(size: number, uploadedAt: number, now: number, prices: RegionPrices): number {
  const remainingDays = Math.max(0, MINIMUM_STORAGE_DAYS - Math.max(0, now - uploadedAt) / DAY_MS);
  return (size / GB) * prices.storagePerGbMonth * (remainingDays / BILLING_MONTH_DAYS);
}

/**
 * Retrieving `bytes` in `jobs` archive-retrieval jobs at a tier ("per GB + per request", docs/glacier-api.md#prices:
 * Expedited $0.03/GB + $10 per 1,000; Standard $0.01/GB + $0.05 per 1,000; Bulk $0.0025/GB +
 * $0.025 per 1,000). Egress to the internet is not included.
 */
export function retrievalCost(bytes: number, jobs: number, tier: Tier, prices: RegionPrices): number {
  const price = prices.retrieval[tier];
  return (bytes / GB) * price.perGb + (jobs * price.per1000Requests) / 1000;
}
