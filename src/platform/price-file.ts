// The price table an estimate uses: the built-in dated table, or a JSON file in the same shape that
// replaces it (docs/glacier-api.md#prices: "keep all prices in a dated, overridable table"). The file is read
// here; core/prices.ts validates it.
import { readFile } from "node:fs/promises";
import { ConsoleError, FileError, describeSystemError } from "../core/errors.ts";
import { parsePriceTable, type PriceTable } from "../core/prices.ts";
import { GLACIER_PRICES_2026 } from "../core/prices/glacier-2026.ts";

export const BUILT_IN_PRICES: PriceTable = GLACIER_PRICES_2026;

/** The table in the JSON file at `path`, or the built-in one when no path is given. */
export async function loadPriceTable(path: string | undefined): Promise<PriceTable> {
  if (path === undefined || path === "") return BUILT_IN_PRICES;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new FileError(path, describeSystemError(error), { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConsoleError(`${path}: not a price table: ${(error as Error).message}`, { cause: error });
  }
  return parsePriceTable(value, path);
}
