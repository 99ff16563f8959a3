// The price table an estimate uses: the built-in dated table, or a JSON file in the same shape that
// replaces it (docs/glacier-api.md#prices: "keep all prices in a dated, overridable table"). The file is read
// here; core/prices.ts and core/s3-prices.ts validate it. costModelFor picks the table and model of
// the backend a plan runs against (vault, or an S3 storage class).
import { readFile } from "node:fs/promises";
import { type CostModel, type PricedBackend, s3CostModel, vaultCostModel } from "../core/cost-model.ts";
import { ConsoleError, FileError, describeSystemError } from "../core/errors.ts";
import { parsePriceTable, pricesFor, type PriceTable } from "../core/prices.ts";
import { GLACIER_PRICES_2026 } from "../core/prices/glacier-2026.ts";
import { S3_PRICES_2026 } from "../core/prices/s3-2026.ts";
import { parseS3PriceTable, s3PricesFor, type S3PriceTable } from "../core/s3-prices.ts";

export const BUILT_IN_PRICES: PriceTable = GLACIER_PRICES_2026;
export const BUILT_IN_S3_PRICES: S3PriceTable = S3_PRICES_2026;

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new FileError(path, describeSystemError(error), { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConsoleError(`${path}: not ${what}: ${(error as Error).message}`, { cause: error });
  }
}

/** The table in the JSON file at `path`, or the built-in one when no path is given. */
export async function loadPriceTable(path: string | undefined): Promise<PriceTable> {
  if (path === undefined || path === "") return BUILT_IN_PRICES;
  return parsePriceTable(await readJson(path, "a price table"), path);
}

/** The S3 table in the JSON file at `path` (the shape of src/core/prices/s3-2026.ts), or the built-in one. */
export async function loadS3PriceTable(path: string | undefined): Promise<S3PriceTable> {
  if (path === undefined || path === "") return BUILT_IN_S3_PRICES;
  return parseS3PriceTable(await readJson(path, "an S3 price table"), path);
}

/**
 * The cost model of a plan: `pricesPath` (--prices, GLACIER_PRICES) is a vault table for vaults and
 * an S3 table for S3 buckets.
 */
export async function costModelFor(
  backend: PricedBackend,
  region: string,
  pricesPath: string | undefined,
): Promise<CostModel> {
  if (backend.kind === "vault") return vaultCostModel(pricesFor(await loadPriceTable(pricesPath), region));
  const prices = s3PricesFor(await loadS3PriceTable(pricesPath), region);
  return s3CostModel(prices, backend.storageClass, backend.upload);
}
