// The backend port (docs/backends.md): the archive operations the tool uses, in our vocabulary, and
// the capabilities by which commands tell backends apart without naming them. Every plugin of
// src/backend/plugins.ts implements GlacierPort for the vaults it serves (the Glacier vault plugin in
// src/glacier/, the S3 plugin in src/backend/s3/); decorators (src/glacier/retry.ts) wrap it; the
// routing port hands each call to the plugin whose address matches its VAULT argument. SDK shapes
// never appear here. Failures are thrown as our error classes (ServiceError with the service's error
// code, ConsoleError for configuration problems).
import type { PricedBackend } from "../core/cost-model.ts";
import type { Readable } from "node:stream";
import type { InventoryArchive, JobDescription, Tier, VaultDescription } from "../core/types.ts";

export interface UploadArchiveInput {
  vault: string;
  /** The archive description (its name), already encoded to printable ASCII. */
  description?: string;
  body: Buffer;
  /** Lower-case hex tree hash and plain SHA-256 of body (computed by the caller in one pass). */
  treeHash: string;
  sha256: string;
  /** The Glacier archive id this upload copies (`vault migrate`): S3 keeps it in metadata; vaults ignore it. */
  sourceArchiveId?: string;
}

export interface ArchiveCreated {
  archiveId: string;
  /** The tree hash the service computed, when it sent one. */
  treeHash?: string;
  /** The `Location` header (for messages and --json). */
  location?: string;
  /**
   * Set by the retrying port when an earlier attempt of this UploadArchive failed after its body
   * may have been stored (a reset, a timeout): Glacier may hold a second copy nobody recorded.
   */
  earlierAttemptMayHaveStored?: boolean;
}

export interface InitiateMultipartInput {
  vault: string;
  description?: string;
  /** 1 MiB x 2^k (core/multipart.ts). */
  partSize: number;
  /**
   * The whole archive's tree hash and size, when known before the first part (always, for a backend
   * with treeHashBeforeMultipart: S3 fixes an object's metadata when the upload starts).
   */
  treeHash?: string;
  size?: number;
  /** As UploadArchiveInput.sourceArchiveId. */
  sourceArchiveId?: string;
}

export interface UploadPartInput {
  vault: string;
  uploadId: string;
  /** Offset of the part in the archive: a multiple of the part size. */
  start: number;
  body: Buffer;
  treeHash: string;
  sha256: string;
}

export interface CompleteMultipartInput {
  vault: string;
  uploadId: string;
  /** x-amz-archive-size: the sum of the part sizes. */
  size: number;
  /** Tree hash of the whole archive. */
  treeHash: string;
}

export interface UploadedPart {
  start: number;
  end: number;
  /** "" when the service keeps no tree hash of its parts (S3): then sha256 identifies the part. */
  treeHash: string;
  /** Lower-case hex SHA-256 of the part, when the service reports it (S3's part checksum). */
  sha256?: string;
}

export interface MultipartUpload {
  uploadId: string;
  vault: string;
  description: string;
  partSize: number;
  creationDate: number;
}

export interface MultipartUploadParts extends MultipartUpload {
  /** Every part the service holds (all ListParts pages), sorted by start. */
  parts: UploadedPart[];
}

export type JobRequest =
  | {
      type: "archive";
      archiveId: string;
      tier?: Tier;
      /** Inclusive, megabyte-aligned byte range (docs/glacier-api.md#jobs RetrievalByteRange). */
      range?: { start: number; end: number };
      description?: string;
      /** Restore-based backends: days the restored copy stays readable (default 1). */
      restoreDays?: number;
    }
  | { type: "inventory"; format?: "JSON" | "CSV"; description?: string };

export interface ListJobsOptions {
  /** glacier-cli reads only the first page (boto 2 `Vault.list_jobs()`); default: all pages. */
  firstPageOnly?: boolean;
  statusCode?: "InProgress" | "Succeeded" | "Failed";
  completed?: boolean;
}

export interface GetJobOutputInput {
  vault: string;
  jobId: string;
  /** Inclusive range relative to the job output; whole output when absent. */
  range?: { start: number; end: number };
  /**
   * Read part `part` (1-based) of the job's verifiedParts instead of a byte range: `range` then says
   * which bytes that part must be, and the answer carries the part's SHA-256.
   */
  part?: number;
  signal?: AbortSignal;
}

export interface JobOutput {
  /** The response body: consume it or destroy it. */
  body: Readable;
  /** 200 (whole output) or 206 (range). */
  status: number;
  contentLength?: number;
  /** x-amz-sha256-tree-hash: present for archive jobs when the range is tree-hash aligned. */
  treeHash?: string;
  /**
   * Lower-case hex SHA-256 of exactly the bytes of this answer, as the service keeps it (S3: the
   * checksum of a part read by number, or of an object read whole): fetchRange checks it.
   */
  sha256?: string;
  contentRange?: string;
  contentType?: string;
  /** x-amz-archive-description (archive jobs). */
  archiveDescription?: string;
}

/** findArchive's answer: the archive, and what the service reports of the stored object. */
export interface FoundArchive extends InventoryArchive {
  /** The checksum the service keeps for the object, as it reports it (S3: SHA-256, composite `B64-N` or whole). */
  checksum?: string;
  /** The Glacier archive id the object was copied from (sourceArchiveId of the upload). */
  sourceArchiveId?: string;
}

export interface GlacierPort {
  /** The region requests are signed for. */
  readonly region: string;
  /** Where requests go, for messages: an URL, or "local:DIR". */
  readonly endpoint: string;
  /**
   * Jobs complete as they are initiated (local:DIR, docs/local-endpoint.md): a command goes on with
   * a job it just started instead of reporting it queued (exit 75). Absent for Amazon Glacier.
   */
  readonly immediateJobs?: boolean;

  listVaults(): Promise<VaultDescription[]>;
  createVault(vault: string): Promise<void>;
  describeVault(vault: string): Promise<VaultDescription>;
  deleteVault(vault: string): Promise<void>;

  /** One UploadArchive request (1 byte to 4 GiB). */
  uploadArchive(input: UploadArchiveInput): Promise<ArchiveCreated>;
  initiateMultipart(input: InitiateMultipartInput): Promise<{ uploadId: string }>;
  /** Returns the part's tree hash as the service computed it. */
  uploadPart(input: UploadPartInput): Promise<{ treeHash?: string }>;
  completeMultipart(input: CompleteMultipartInput): Promise<ArchiveCreated>;
  abortMultipart(vault: string, uploadId: string): Promise<void>;
  listParts(vault: string, uploadId: string): Promise<MultipartUploadParts>;
  listMultipartUploads(vault: string): Promise<MultipartUpload[]>;
  deleteArchive(vault: string, archiveId: string): Promise<void>;

  initiateJob(vault: string, request: JobRequest): Promise<{ jobId: string }>;
  describeJob(vault: string, jobId: string): Promise<JobDescription>;
  listJobs(vault: string, options?: ListJobsOptions): Promise<JobDescription[]>;
  getJobOutput(input: GetJobOutputInput): Promise<JobOutput>;

  /** Releases sockets (and an in-process emulator). */
  close(): Promise<void>;

  /**
   * The archive stored under a name now (its current version), or undefined: one request, no
   * inventory lag. Offered by plugins with presenceIsAuthoritative (S3: HeadObject).
   */
  findArchive?(vault: string, description: string): Promise<FoundArchive | undefined>;

  /**
   * Whether uploading a changed archive under a name keeps the replaced one (vaults always do; an S3
   * bucket only with versioning: GetBucketVersioning). Absent: it does (docs/retention.md#s3-buckets).
   */
  keepsReplacedVersions?(vault: string): Promise<boolean>;

  /** Present on ports that serve several kinds of vault (the routing port, src/backend/plugins.ts). */
  capabilities?(vault: string): BackendCapabilities;
}

/**
 * What differs between backends, declared by each plugin (docs/backends.md#capabilities). Commands,
 * the job runner and the engines consult these, never a backend's name.
 */
export interface BackendCapabilities {
  /** Listing the archives is a job that takes hours (vault inventories); false: listing answers at once. */
  listingNeedsJob: boolean;
  /**
   * Whether reading an archive needs a retrieval first: "always" (vault jobs), "per-archive" (S3:
   * GLACIER and DEEP_ARCHIVE objects are restored, other classes read at once).
   */
  retrievalNeedsRestore: "always" | "per-archive";
  /** Archive names are object keys (UTF-8, at most 1024 bytes), not encoded descriptions. */
  namesAreKeys: boolean;
  /** One request answers whether an archive exists (HeadObject), with no inventory lag. */
  presenceIsAuthoritative: boolean;
  /** A multipart upload must carry the archive's tree hash when it starts (InitiateMultipartInput). */
  treeHashBeforeMultipart: boolean;
  /** The smallest part a multipart upload may use (S3: 5 MiB, so 8 MiB as a power of two). */
  minPartSize: number;
  /**
   * Ranged reads carry the range's tree hash from the service (Glacier). False (S3): ranges are checked
   * by the SHA-256 of the parts a job lists in verifiedParts, else only the whole is checked.
   */
  rangesVerifiedByService: boolean;
  /**
   * A job found complete as it starts is used at once instead of reported queued (exit 75): local:DIR
   * (docs/local-endpoint.md); S3, whose listings and restores of objects that read at once need no wait.
   */
  immediateJobs: boolean;
  /** The vault is found by listVaults (job list walks those); else by the cache's rows. */
  listedByListVaults: boolean;
  /** What the cost plans price (vault rates, or an S3 storage class: docs/backends.md#capabilities). */
  pricing: PricedBackend;
}

/** The port a command gets (deps.glacier()): one per run, routing each vault to its plugin. */
export interface BackendPort extends GlacierPort {
  capabilities(vault: string): BackendCapabilities;
  /**
   * Whether two multipart upload ids of `vault` name one upload: an id listed by
   * listMultipartUploads may be spelled otherwise than the one initiateMultipart gave (S3's carries
   * no part size), so compare ids with this, never with ===.
   */
  sameUpload(vault: string, a: string, b: string): boolean;
}
