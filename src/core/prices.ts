// The price table behind every cost estimate (docs/glacier-api.md#prices: "keep all prices in a dated,
// overridable table"). The built-in table is src/core/prices/glacier-2026.ts; a user's JSON file in
// the same shape replaces it (read by src/platform/price-file.ts, validated here).
import { readDatedTable, resolveRegion, type DatedPriceTable, type ResolvedRegion } from "./price-table.ts";
import type { Tier } from "./types.ts";

/** AWS bills a "GB" of storage as 2^30 bytes. */
export const GB = 1024 ** 3;
/** "archives deleted < 90 days after upload pay a prorated early-deletion fee" (docs/glacier-api.md#prices). */
export const MINIMUM_STORAGE_DAYS = 90;
/** "Per-archive overhead: 32 KB of index/metadata billed at Glacier rates per archive." */
export const ARCHIVE_OVERHEAD_BYTES = 32 * 1024;
/** A billing month for pro rata charges: 90 days are the three months of the 2013 example. */
export const BILLING_MONTH_DAYS = 30;
export const DAY_MS = 24 * 3600_000;

export interface RetrievalPrice {
  perGb: number;
  per1000Requests: number;
}

export interface RegionPrices {
  /** Dollars per GB-month stored. */
  storagePerGbMonth: number;
  /** Dollars per 1,000 upload requests (UploadArchive, Initiate, each part, Complete). */
  uploadPer1000Requests: number;
  retrieval: Record<Tier, RetrievalPrice>;
}

export type PriceTable = DatedPriceTable<RegionPrices>;
export type ResolvedPrices = ResolvedRegion<RegionPrices>;

export function pricesFor(table: PriceTable, region: string): ResolvedPrices {
  return resolveRegion(table, region, "price table");
}

const TIERS: readonly Tier[] = ["Expedited", "Standard", "Bulk"];

/**
 * Checks a parsed price file. `origin` names it in the one error message a malformed file gives:
 * "<origin>: not a price table: <what is wrong>".
 */
export function parsePriceTable(value: unknown, origin: string): PriceTable {
  return readDatedTable(value, origin, "a price table", (raw, where, { object, price }): RegionPrices => {
    const r = object(raw, where);
    const retrievalRaw = object(r.retrieval, `${where}.retrieval`);
    const retrieval = {} as Record<Tier, RetrievalPrice>;
    for (const tier of TIERS) {
      const t = object(retrievalRaw[tier], `${where}.retrieval.${tier}`);
      retrieval[tier] = {
        perGb: price(t.perGb, `${where}.retrieval.${tier}.perGb`),
        per1000Requests: price(t.per1000Requests, `${where}.retrieval.${tier}.per1000Requests`),
      };
    }
    return {
      storagePerGbMonth: price(r.storagePerGbMonth, `${where}.storagePerGbMonth`),
      uploadPer1000Requests: price(r.uploadPer1000Requests, `${where}.uploadPer1000Requests`),
      retrieval,
    };
  });
}
