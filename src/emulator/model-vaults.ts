// Vault operations on the pure model: create, describe, list, delete, tags, notifications, access
// policy. Counters come from the last inventory (docs/glacier-api.md#vault-counters).
import { GlacierApiError, invalid, notFound } from "./api-error.ts";
import { type ModelConfig, type NotificationConfig, type RegionState, type VaultRecord, vaultArn } from "./state.ts";
import { isoMillis, isoSeconds } from "./time.ts";
import { defined } from "../core/errors.ts";

// docs/glacier-api.md#data-formats: "Vault name: 1-255 chars of a-z A-Z 0-9 _ - ."; "<= 1,000 vaults per account".
const VAULT_NAME = /^[A-Za-z0-9_.-]{1,255}$/;
const MAX_VAULTS = 1000;
const MAX_TAGS = 50;

export function getVault(state: RegionState, config: ModelConfig, name: string): VaultRecord {
  const vault = Object.hasOwn(state.vaults, name) ? state.vaults[name] : undefined;
  // Observed: "Vault not found for ARN: <arn>" (also the real answer to a malformed name).
  if (!vault) throw notFound(`Vault not found for ARN: ${vaultArn(config, name)}`);
  return vault;
}

/** CreateVault is idempotent: creating an existing vault succeeds and changes nothing. */
export function createVault(state: RegionState, config: ModelConfig, now: number, name: string): void {
  if (!VAULT_NAME.test(name)) throw invalid(`Invalid vault name: ${vaultArn(config, name)}`);
  if (Object.hasOwn(state.vaults, name)) return;
  if (Object.keys(state.vaults).length >= MAX_VAULTS) {
    throw new GlacierApiError(
      "LimitExceededException",
      `The maximum number of vaults (${MAX_VAULTS}) has been reached`,
    );
  }
  state.vaults[name] = {
    name,
    creationDate: now,
    archives: {},
    lastWrite: null,
    inventory: null,
    tags: {},
    notifications: null,
    accessPolicy: null,
  };
}

export function describeVault(config: ModelConfig, vault: VaultRecord): Record<string, unknown> {
  const inventory = vault.inventory;
  return {
    CreationDate: isoMillis(vault.creationDate),
    LastInventoryDate: inventory ? isoSeconds(inventory.date) : null,
    NumberOfArchives: inventory ? inventory.archives.length : 0,
    SizeInBytes: inventory ? inventory.archives.reduce((sum, a) => sum + a.size, 0) : 0,
    VaultARN: vaultArn(config, vault.name),
    VaultName: vault.name,
  };
}

/** docs/glacier-api.md#pagination: the returned Marker is the ARN of the next vault; a request starts at it. */
export function listVaults(state: RegionState, config: ModelConfig, limit: number, marker: string | null) {
  const names = Object.keys(state.vaults).sort();
  let start = 0;
  if (marker !== null) {
    start = names.findIndex((n) => vaultArn(config, n) >= marker);
    if (start < 0) start = names.length;
  }
  const page = names.slice(start, start + limit);
  const next = names[start + limit];
  return {
    Marker: next === undefined ? null : vaultArn(config, next),
    VaultList: page.map((n) => describeVault(config, defined(state.vaults[n], "state.vaults[n]"))),
  };
}

// docs/glacier-api.md#vault-counters: "DeleteVault fails until an inventory shows zero archives and nothing was
// written since"; observed message "Vault not empty or recently written to: <arn>".
/** Returns the IDs of the vault's multipart uploads, forgotten with it (their parts can go). */
export function deleteVault(state: RegionState, config: ModelConfig, name: string): string[] {
  const vault = getVault(state, config, name);
  const emptyAsOfInventory =
    vault.lastWrite === null ||
    (vault.inventory !== null && vault.inventory.archives.length === 0 && vault.lastWrite <= vault.inventory.date);
  if (!emptyAsOfInventory || Object.keys(vault.archives).length > 0) {
    throw invalid(`Vault not empty or recently written to: ${vaultArn(config, name)}`);
  }
  Reflect.deleteProperty(state.vaults, name);
  const uploads = Object.keys(state.uploads).filter(
    (id) => defined(state.uploads[id], "state.uploads[id]").vault === name,
  );
  for (const id of uploads) Reflect.deleteProperty(state.uploads, id);
  return uploads;
}

export function addTags(vault: VaultRecord, tags: Record<string, string>): void {
  const merged = { ...vault.tags, ...tags };
  if (Object.keys(merged).length > MAX_TAGS) {
    throw new GlacierApiError("LimitExceededException", `A vault can have at most ${MAX_TAGS} tags`);
  }
  vault.tags = merged;
}

export function removeTags(vault: VaultRecord, keys: readonly string[]): void {
  for (const key of keys) Reflect.deleteProperty(vault.tags, key);
}

const NOTIFICATION_EVENTS = new Set(["ArchiveRetrievalCompleted", "InventoryRetrievalCompleted"]);

export function setNotifications(vault: VaultRecord, config: NotificationConfig): void {
  for (const event of config.Events ?? []) {
    if (!NOTIFICATION_EVENTS.has(event)) throw invalid(`Invalid event: ${event}`);
  }
  vault.notifications = config;
}

export function getNotifications(config: ModelConfig, vault: VaultRecord): NotificationConfig {
  if (!vault.notifications)
    throw notFound(`No notification configuration is set for vault: ${vaultArn(config, vault.name)}`);
  return vault.notifications;
}

export function getAccessPolicy(config: ModelConfig, vault: VaultRecord): string {
  if (vault.accessPolicy === null) throw notFound(`No vault access policy is set for: ${vaultArn(config, vault.name)}`);
  return vault.accessPolicy;
}
