// The price table behind every cost estimate (docs/glacier-api.md#prices: "keep all prices in a dated,
// overridable table"). The built-in table is src/core/prices/glacier-2026.ts; a user's JSON file in
// the same shape replaces it (read by src/platform/price-file.ts, validated here).
import { ConsoleError } from "./errors.ts";
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

export interface PriceTable {
  /** The date the prices were last checked, YYYY-MM-DD. */
  asOf: string;
  currency: "USD";
  /** Where the numbers come from, printed with estimates so nobody takes them for a quote. */
  source: string;
  /** The region used for a region the table does not list. */
  fallbackRegion: string;
  regions: Record<string, RegionPrices>;
}

/** The prices of one region, and whether they are really another region's (not in the table). */
export interface ResolvedPrices extends RegionPrices {
  asOf: string;
  currency: "USD";
  region: string;
  /** The region whose prices these are: `region`, or the table's fallback region. */
  pricedAs: string;
}

export function pricesFor(table: PriceTable, region: string): ResolvedPrices {
  const own = table.regions[region];
  const pricedAs = own ? region : table.fallbackRegion;
  const prices = own ?? table.regions[table.fallbackRegion];
  if (!prices)
    throw new ConsoleError(`price table of ${table.asOf} has no prices for ${region} or ${table.fallbackRegion}`);
  return { ...prices, asOf: table.asOf, currency: table.currency, region, pricedAs };
}

const TIERS: readonly Tier[] = ["Expedited", "Standard", "Bulk"];

/**
 * Checks a parsed price file. `origin` names it in the one error message a malformed file gives:
 * "<origin>: not a price table: <what is wrong>".
 */
export function parsePriceTable(value: unknown, origin: string): PriceTable {
  const fail = (what: string): never => {
    throw new ConsoleError(`${origin}: not a price table: ${what}`);
  };
  const object = (v: unknown, where: string): Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : fail(`${where} must be an object`);
  const price = (v: unknown, where: string): number =>
    typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : fail(`${where} must be a number >= 0`);

  const top = object(value, "the file");
  const asOf = top.asOf;
  if (typeof asOf !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf)))
    fail("asOf must be a date YYYY-MM-DD");
  if (top.currency !== "USD") fail(`currency must be "USD"`);
  const source = typeof top.source === "string" ? top.source : fail("source must be a string");
  const fallbackRegion =
    typeof top.fallbackRegion === "string" ? top.fallbackRegion : fail("fallbackRegion must be a string");
  const regions: Record<string, RegionPrices> = {};
  for (const [name, raw] of Object.entries(object(top.regions, "regions"))) {
    const where = `regions.${name}`;
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
    regions[name] = {
      storagePerGbMonth: price(r.storagePerGbMonth, `${where}.storagePerGbMonth`),
      uploadPer1000Requests: price(r.uploadPer1000Requests, `${where}.uploadPer1000Requests`),
      retrieval,
    };
  }
  if (!(fallbackRegion in regions)) fail(`fallbackRegion ${fallbackRegion} is not one of the regions`);
  return { asOf: asOf as string, currency: "USD", source, fallbackRegion, regions };
}
