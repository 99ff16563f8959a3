// What the vault price table (src/core/prices.ts) and the S3 one (src/core/s3-prices.ts) share: a dated
// table of regions with a fallback region, read from JSON and checked field by field, so a malformed
// file gives one error line naming the field that is wrong.
import { ConsoleError } from "./errors.ts";

export interface DatedPriceTable<Region> {
  /** The date the prices were last checked, YYYY-MM-DD. */
  asOf: string;
  currency: "USD";
  /** Where the numbers come from, printed with estimates so nobody takes them for a quote. */
  source: string;
  /** The region used for a region the table does not list. */
  fallbackRegion: string;
  regions: Record<string, Region>;
}

/** One region's prices, and whether they are really another region's (not in the table). */
export type ResolvedRegion<Region> = Region & {
  asOf: string;
  currency: "USD";
  region: string;
  /** The region whose prices these are: `region`, or the table's fallback region. */
  pricedAs: string;
};

/** `label` names the table in the error: "price table", "S3 price table". */
export function resolveRegion<Region>(
  table: DatedPriceTable<Region>,
  region: string,
  label: string,
): ResolvedRegion<Region> {
  const own = table.regions[region];
  const pricedAs = own ? region : table.fallbackRegion;
  const prices = own ?? table.regions[table.fallbackRegion];
  if (!prices)
    throw new ConsoleError(`${label} of ${table.asOf} has no prices for ${region} or ${table.fallbackRegion}`);
  return { ...prices, asOf: table.asOf, currency: table.currency, region, pricedAs };
}

/** Checks one field each; a failure throws the table's one error line. */
export interface FieldReader {
  fail: (what: string) => never;
  object: (value: unknown, where: string) => Record<string, unknown>;
  /** A number >= 0 (dollars). */
  price: (value: unknown, where: string) => number;
  /** A whole number >= 0 (days, bytes). */
  count: (value: unknown, where: string) => number;
}

/**
 * Checks a parsed price file. `origin` names it and `kind` says what it should be, in the one error
 * message a malformed file gives: "<origin>: not <kind>: <what is wrong>".
 */
export function readDatedTable<Region>(
  value: unknown,
  origin: string,
  kind: string,
  readRegion: (raw: unknown, where: string, read: FieldReader) => Region,
): DatedPriceTable<Region> {
  const fail = (what: string): never => {
    throw new ConsoleError(`${origin}: not ${kind}: ${what}`);
  };
  const read: FieldReader = {
    fail,
    object: (v, where) =>
      typeof v === "object" && v !== null && !Array.isArray(v)
        ? (v as Record<string, unknown>)
        : fail(`${where} must be an object`),
    price: (v, where) =>
      typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : fail(`${where} must be a number >= 0`),
    count: (v, where) =>
      typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : fail(`${where} must be a whole number >= 0`),
  };
  const top = read.object(value, "the file");
  const asOf = top.asOf;
  if (typeof asOf !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf)))
    return fail("asOf must be a date YYYY-MM-DD");
  if (top.currency !== "USD") fail(`currency must be "USD"`);
  const source = typeof top.source === "string" ? top.source : fail("source must be a string");
  const fallbackRegion =
    typeof top.fallbackRegion === "string" ? top.fallbackRegion : fail("fallbackRegion must be a string");
  const regions: Record<string, Region> = {};
  for (const [name, raw] of Object.entries(read.object(top.regions, "regions")))
    regions[name] = readRegion(raw, `regions.${name}`, read);
  if (!(fallbackRegion in regions)) fail(`fallbackRegion ${fallbackRegion} is not one of the regions`);
  return { asOf, currency: "USD", source, fallbackRegion, regions };
}
