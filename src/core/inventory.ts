// One interface over the two inventory formats (docs/glacier-api.md#inventories), so `vault sync` streams either:
//   const parser = createInventoryParser(job.inventoryFormat ?? "JSON");
//   for await (const chunk of body) for (const archive of parser.push(chunk)) planner.add(archive);
//   for (const archive of parser.end()) planner.add(archive);
// CSV carries no InventoryDate: the caller takes it from elsewhere (DescribeVault's
// LastInventoryDate) when inventoryDate stays null.
import { CsvInventoryParser } from "./inventory-csv.ts";
import { JsonInventoryParser } from "./inventory-json.ts";
import type { InventoryArchive } from "./types.ts";

export interface InventoryParser {
  push(chunk: Uint8Array): InventoryArchive[];
  end(): InventoryArchive[];
  readonly inventoryDate: number | null;
  readonly vaultArn: string | null;
}

export function createInventoryParser(format: "JSON" | "CSV"): InventoryParser {
  if (format === "JSON") return new JsonInventoryParser();
  const csv = new CsvInventoryParser();
  return { push: (chunk) => csv.push(chunk), end: () => csv.end(), inventoryDate: null, vaultArn: null };
}
