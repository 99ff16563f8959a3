// The emulator's persistent state: plain JSON-serialisable records, kept in DIR/state.json and
// DIR/state.log by store.ts. Archive bytes never live here (they are files in DIR/archives).
// Dates are epoch milliseconds of the emulator clock.
import type { Tier } from "../core/types.ts";
import type { S3State } from "./s3/model.ts";

export interface ArchiveRecord {
  id: string;
  description: string;
  creationDate: number;
  size: number;
  treeHash: string;
  sha256: string;
}

/** docs/glacier-api.md#inventories: "a point-in-time snapshot made about daily, only if the vault changed". */
export interface InventorySnapshot {
  date: number;
  archives: ArchiveRecord[];
}

export interface NotificationConfig {
  SNSTopic?: string;
  Events?: string[];
}

export interface VaultRecord {
  name: string;
  creationDate: number;
  archives: Record<string, ArchiveRecord>;
  /** Time of the last upload or delete; null when nothing was written since creation. */
  lastWrite: number | null;
  /** The last inventory; DescribeVault counters and DeleteVault emptiness are judged on it. */
  inventory: InventorySnapshot | null;
  tags: Record<string, string>;
  notifications: NotificationConfig | null;
  accessPolicy: string | null;
  /** Vault Lock (absent in state files written before it existed). */
  lock?: VaultLock | null;
}

export interface VaultLock {
  policy: string;
  state: "InProgress" | "Locked";
  lockId: string;
  creationDate: number;
  /** InProgress locks expire 24 hours after initiation. */
  expirationDate: number;
}

export interface ProvisionedCapacity {
  id: string;
  start: number;
  expiration: number;
}

export interface UploadRecord {
  id: string;
  vault: string;
  partSize: number;
  description: string;
  creationDate: number;
  /** Last part upload or initiate; uploads idle for uploadIdleSeconds are reclaimed. */
  lastActivity: number;
  state: "open" | "completed" | "aborted";
  closedAt?: number;
  archiveId?: string;
}

export interface InventoryParams {
  Format: "JSON" | "CSV";
  StartDate: string | null;
  EndDate: string | null;
  Limit: string | null;
  Marker: string | null;
}

export interface JobRecord {
  id: string;
  vault: string;
  action: "ArchiveRetrieval" | "InventoryRetrieval";
  tier: Tier;
  description: string | null;
  snsTopic: string | null;
  creationDate: number;
  /** When the job reaches its final status (creation + tier delay). */
  completesAt: number;
  /** Final status once completesAt passes ("Failed" when a fault marked it). */
  outcome: "Succeeded" | "Failed";
  failureMessage?: string;
  archiveId: string | null;
  archiveSize: number | null;
  archiveTreeHash: string | null;
  /** Archive jobs: the archive's description (GetJobOutput's x-amz-archive-description). */
  archiveDescription?: string;
  /** Tree hash of the retrieved range, null when the range is not tree-hash aligned. */
  rangeTreeHash: string | null;
  retrievalByteRange: string | null;
  /** First byte of the retrieved range within the archive. */
  rangeStart: number;
  outputSize: number;
  inventory: InventoryParams | null;
  /** Inventory jobs: the marker for the next page (InventoryRetrievalParameters.Marker when done). */
  nextMarker: string | null;
}

export interface RetrievalPolicyRule {
  Strategy: "BytesPerHour" | "FreeTier" | "None";
  BytesPerHour?: number;
}

/**
 * The records of one region. Glacier has one endpoint per region, so the same vault name in two
 * regions is two vaults, each with its own archives, jobs, uploads, data-retrieval policy and
 * provisioned capacity. The emulator serves every region at one URL (see regions.ts).
 */
export interface RegionState {
  vaults: Record<string, VaultRecord>;
  uploads: Record<string, UploadRecord>;
  jobs: Record<string, JobRecord>;
  retrievalPolicy: RetrievalPolicyRule[];
  /** Archive retrieval jobs accepted: time and bytes, for the data-retrieval policy. */
  retrievals: { at: number; bytes: number }[];
  /** Provisioned capacity units bought (absent in older state files). */
  capacity?: ProvisionedCapacity[];
}

/**
 * state.json: the records of one region at the top level (the layout of files written before
 * regions, which tools and older emulators read), every other region's under `regions`.
 */
export interface EmulatorState extends RegionState {
  version: 1;
  /** Added to the clock: /_emulator/clock advances persist here so every process agrees (all regions). */
  clockOffsetMs: number;
  /**
   * The region of the top-level records. Absent in files written before regions: those records
   * are the configured region's of the first emulator that opens the file, which records it here.
   */
  region?: string;
  /** The records of every other region (absent until a second region is used). */
  regions?: Record<string, RegionState>;
  /** S3 buckets, objects and multipart uploads (s3/model.ts): global, as S3's bucket names are. */
  s3?: S3State;
}

export function emptyRegion(): RegionState {
  return { vaults: {}, uploads: {}, jobs: {}, retrievalPolicy: [{ Strategy: "None" }], retrievals: [] };
}

export function emptyState(region?: string): EmulatorState {
  return { version: 1, clockOffsetMs: 0, ...(region !== undefined ? { region } : {}), ...emptyRegion() };
}

/** Settings the model needs besides the state (from EmulatorOptions). */
export interface ModelConfig {
  region: string;
  accountId: string;
  jobDelays: Record<Tier, number>;
  /** Seconds after a change before the next inventory; "live": an inventory is taken on every read. */
  inventoryLag: number | "live";
  /** Seconds between two inventories of one vault (glacier: about daily). */
  inventoryInterval: number;
  jobExpirySeconds: number;
  /** Expedited retrievals need a provisioned capacity unit (else InsufficientCapacityException). */
  expeditedRequiresCapacity: boolean;
  uploadIdleSeconds: number;
  pageMax: { vaults: number; jobs: number; parts: number; uploads: number };
}

export function vaultArn(config: ModelConfig, vault: string): string {
  return `arn:aws:glacier:${config.region}:${config.accountId}:vaults/${vault}`;
}
