// Inventories, docs/glacier-api.md#inventories: "a point-in-time snapshot made about daily, only if the vault
// changed; InventoryDate is that snapshot's time, not the job time". The output of an inventory
// job is rendered here in JSON or in Amazon's CSV dialect.
import { invalid } from "./api-error.ts";
import type { ArchiveRecord, InventoryParams, ModelConfig, RegionState, VaultRecord } from "./state.ts";
import { isoSeconds, parseIsoDate } from "./time.ts";
import { defined } from "../core/errors.ts";

/** When the vault's next inventory is due, or null when nothing changed since the last one. */
export function nextInventoryDue(vault: VaultRecord, config: ModelConfig, now: number): number | null {
  if (vault.lastWrite === null) return null;
  const last = vault.inventory?.date;
  // A write in the very millisecond of the last snapshot may have come after it (the request that
  // took the snapshot, or one beside it, then writing): only a write strictly before it is covered.
  if (last !== undefined && vault.lastWrite < last) return null;
  if (config.inventoryLag === "live") return now;
  const afterChange = vault.lastWrite + config.inventoryLag * 1000;
  return last === undefined ? afterChange : Math.max(afterChange, last + config.inventoryInterval * 1000);
}

/** Takes the snapshot of every vault whose inventory fell due by `now`; returns how many. */
export function takeDueInventories(state: RegionState, config: ModelConfig, now: number): number {
  let taken = 0;
  for (const vault of Object.values(state.vaults)) {
    const due = nextInventoryDue(vault, config, now);
    if (due !== null && due <= now) {
      snapshot(vault, due);
      taken += 1;
    }
  }
  return taken;
}

/** Takes an inventory of the vault as of `date` (archives created after it are not in it yet). */
export function snapshot(vault: VaultRecord, date: number): void {
  const archives = Object.values(vault.archives)
    .filter((a) => a.creationDate <= date)
    .sort((a, b) => a.creationDate - b.creationDate || (a.id < b.id ? -1 : 1));
  vault.inventory = { date, archives };
}

export interface RenderedInventory {
  body: Buffer;
  contentType: "application/json" | "text/csv";
  nextMarker: string | null;
}

/** Checks InventoryRetrievalParameters (docs/glacier-api.md#jobs) and fills in the defaults. */
export function inventoryParams(raw: Record<string, unknown> | undefined, format: unknown): InventoryParams {
  const fmt = raw?.["Format"] ?? format ?? "JSON";
  if (fmt !== "JSON" && fmt !== "CSV") throw invalid(`Invalid format: ${fmt as string}. Valid values are: CSV, JSON`);
  const text = (key: string): string | null => {
    const value = raw?.[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== "string") throw invalid(`Invalid ${key}: ${JSON.stringify(value)}`);
    return value;
  };
  const params: InventoryParams = {
    Format: fmt,
    StartDate: text("StartDate"),
    EndDate: text("EndDate"),
    Limit: text("Limit"),
    Marker: text("Marker"),
  };
  for (const key of ["StartDate", "EndDate"] as const) {
    const value = params[key];
    if (value !== null && Number.isNaN(parseIsoDate(value))) throw invalid(`Invalid ${key}: ${value}`);
  }
  if (params.Limit !== null && !/^[1-9]\d*$/.test(params.Limit)) throw invalid(`Invalid limit: ${params.Limit}`);
  return params;
}

// "Filters: Start/EndDate on archive CreationDate (archives created on/after StartDate and before
// EndDate), Limit + Marker pagination." The marker is the ID of the first archive of the next page.
export function renderInventory(vault: VaultRecord, arn: string, params: InventoryParams): RenderedInventory {
  const inventory = defined(vault.inventory, "vault.inventory");
  const start = params.StartDate === null ? -Infinity : parseIsoDate(params.StartDate);
  const end = params.EndDate === null ? Infinity : parseIsoDate(params.EndDate);
  let list = inventory.archives.filter((a) => a.creationDate >= start && a.creationDate < end);
  if (params.Marker !== null) {
    const at = list.findIndex((a) => a.id === params.Marker);
    if (at < 0) throw invalid(`Invalid marker: ${params.Marker}`);
    list = list.slice(at);
  }
  let nextMarker: string | null = null;
  if (params.Limit !== null) {
    const limit = Number(params.Limit);
    nextMarker = list[limit]?.id ?? null;
    list = list.slice(0, limit);
  }
  if (params.Format === "CSV") return { body: Buffer.from(toCsv(list)), contentType: "text/csv", nextMarker };
  const body = JSON.stringify({
    VaultARN: arn,
    InventoryDate: isoSeconds(inventory.date),
    ArchiveList: list.map((a) => ({
      ArchiveId: a.id,
      ArchiveDescription: a.description,
      CreationDate: isoSeconds(a.creationDate),
      Size: a.size,
      SHA256TreeHash: a.treeHash,
    })),
  });
  return { body: Buffer.from(body), contentType: "application/json", nextMarker };
}

// docs/glacier-api.md#inventories: "fields containing , or \" always are [quoted]. Inside a quoted field a \" is
// written \\\" (backslash escape, not RFC-4180 doubling) and a backslash is not escaped."
function csvField(value: string): string {
  return /[,"]/.test(value) ? `"${value.replace(/"/g, '\\"')}"` : value;
}

function toCsv(list: readonly ArchiveRecord[]): string {
  const lines = ["ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash"];
  for (const a of list) {
    lines.push([a.id, csvField(a.description), isoSeconds(a.creationDate), String(a.size), a.treeHash].join(","));
  }
  return `${lines.join("\n")}\n`;
}
