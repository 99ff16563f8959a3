// Our vocabulary for Glacier things, shared by core, the backend port, the cache and the commands.
// SDK shapes never pass glacier/sdk.ts; the emulator has its own wire shapes.

export type Tier = "Expedited" | "Standard" | "Bulk";
export type JobAction = "ArchiveRetrieval" | "InventoryRetrieval" | "Select";
export type JobStatus = "InProgress" | "Succeeded" | "Failed";

/** A Glacier job as DescribeJob / ListJobs report it. Dates are epoch milliseconds. */
export interface JobDescription {
  jobId: string;
  vault: string;
  action: JobAction;
  status: JobStatus;
  statusMessage?: string;
  completed: boolean;
  creationDate: number;
  completionDate?: number;
  /** The raw ISO strings as the service sent them (`job list` prints them verbatim). */
  creationDateText: string;
  completionDateText?: string;
  archiveId?: string;
  archiveSize?: number;
  /** Tree hash of the whole archive (archive jobs). */
  archiveTreeHash?: string;
  /** Tree hash of the retrieved range, when Glacier gives one. */
  rangeTreeHash?: string;
  retrievalByteRange?: string;
  tier?: Tier;
  /** Restore-based backends (docs/backends.md#restores): when the retrieval should be complete, epoch ms. */
  expectedCompletionDate?: number;
  /**
   * The output is served in parts of `partSize` bytes (the last may be shorter), each of which the
   * service vouches for with a SHA-256 when read by part number (an S3 object uploaded in parts with
   * SHA-256 checksums; count 1: one object read whole with its SHA-256). docs/backends.md#restores
   */
  verifiedParts?: { partSize: number; count: number };
  /** Inventory jobs: the output format. */
  inventoryFormat?: "JSON" | "CSV";
  description?: string;
}

/** One archive of an inventory (inventory JSON `ArchiveList[]` / CSV rows). */
export interface InventoryArchive {
  archiveId: string;
  /** The raw ArchiveDescription. */
  description: string;
  creationDate: number;
  size: number;
  treeHash: string;
}

export interface VaultDescription {
  name: string;
  arn: string;
  creationDate: number;
  lastInventoryDate?: number;
  numberOfArchives: number;
  sizeInBytes: number;
}

/**
 * One archive as the local cache knows it (docs/cache.md#legacy-schema, plus our columns). Times are epoch
 * milliseconds here; the cache converts to and from glacier-cli's unix seconds.
 */
export interface CachedArchive {
  id: string;
  vault: string;
  /** The archive's name (its Glacier description, decoded); null when unknown. */
  name: string | null;
  /** SHA-256 tree hash, lower-case hex; null when unknown (rows from the original glacier-cli). */
  treeHash: string | null;
  size: number | null;
  /** When an inventory last proved it existed (glacier-cli's seen rule, INVENTORY_LAG applied). */
  lastSeenUpstream: number | null;
  /** When this row was inserted (glacier-cli: also for rows that came from an inventory). */
  createdHere: number | null;
  /** When it was deleted through this tool; null = live. */
  deletedHere: number | null;
  /** The archive's CreationDate in Glacier, when known (upload time or inventory). */
  creationDate: number | null;
  /**
   * Set when the archive is no file's current version any more (replaced or removed, docs/retention.md):
   * when that was decided, and the manifest written by that reconcile, if any. Absent otherwise.
   */
  superseded?: Superseded;
}

export interface Superseded {
  /** Epoch ms. */
  at: number;
  /** Name of the manifest archive the superseding reconcile wrote, or null. */
  manifest: string | null;
}

/** Which tool's convention an archive description follows (src/core/names.ts). */
export type DescriptionOrigin = "plain" | "glacier-cli" | "mt-aws-glacier" | "fastglacier";

/** An archive description read back as a name. */
export interface DecodedDescription {
  name: string;
  /** Which tool's convention the description follows. */
  origin: DescriptionOrigin;
  /** The file's modification time (epoch ms) when the description carries one (mt2, FastGlacier). */
  mtime?: number;
}
