// The streamed, verified copy of one archive from a completed vault retrieval job to an S3 object
// (docs/migrate.md#the-copy). An object already at the key with the archive's tree hash and size is
// adopted. Otherwise the job output is read in tree-hash-aligned ranges, each checked against
// Glacier's x-amz-sha256-tree-hash (fetch-range.ts), and sent with its SHA-256: one PutObject for an
// archive of one part, a multipart upload for a larger one (migrate-parts.ts: resume, orphans). The
// whole tree hash is checked before the object is written, and the object with HeadObject after.
import { descriptionOfName } from "../backend/s3/upload-ids.ts";
import type { Clock } from "../core/clock.ts";
import { ConsoleError, IntegrityError } from "../core/errors.ts";
import { MIGRATE_PART_SIZE, migratePartSize } from "../core/migrate-plan.ts";
import { holdsArchive } from "../core/migrate-step.ts";
import { checkPartSize } from "../core/multipart.ts";
import { BufferPool } from "./buffer-pool.ts";
import { fetchRange } from "./fetch-range.ts";
import { abortQuietly, copyInParts } from "./migrate-parts.ts";
import type { FoundArchive, GlacierPort } from "./port.ts";

export interface CopyArchiveInput {
  /** The routing port: handles vault names AND "s3://bucket/prefix" addresses. */
  port: GlacierPort;
  clock: Clock;
  source: { vault: string; jobId: string; archiveId: string; size: number; treeHash: string };
  /**
   * target.address is "s3://BUCKET" or "s3://BUCKET/PREFIX" as the port takes it for `vault`; name is the key
   * below the prefix.
   */
  target: { address: string; name: string };
  /** The multipart upload id an earlier (killed) run recorded in the ledger: resume it through ListParts. */
  uploadId?: string | null;
  /** Called with a new multipart upload id BEFORE any part is sent; the caller records it (ledger: `uploading`). */
  onUploadStarted: (uploadId: string) => Promise<void>;
  /** Default MIGRATE_PART_SIZE (src/core/migrate-plan.ts), doubled until <= 10,000 parts. */
  partSize?: number;
  /** Parts in flight at once (default 4): memory is bounded by concurrency x part size. */
  concurrency?: number;
  /**
   * The part buffers the copies of a run share (the caller bounds how many are in use at once);
   * without it, the copy has `concurrency` of its own.
   */
  buffers?: BufferPool;
  signal?: AbortSignal;
}

export interface CopiedArchive {
  /** The S3 archive id (`NAME?versionId=V` or `NAME?treeHash=H`, as the S3 plugin makes them). */
  archiveId: string;
  /** Verified equal to source.treeHash. */
  treeHash: string;
  size: number;
  /** The checksum S3 reports for the completed object (composite SHA-256 "B64-N" or whole), "" if none. */
  s3Checksum: string;
  /** True: an object with the same tree hash and size already stood at the key; nothing was copied. */
  adopted: boolean;
}

export const DEFAULT_COPY_CONCURRENCY = 4;

/**
 * The object at the target when it already holds the archive (same tree hash and size), without a
 * retrieval job: a committed migration asks this before it requests one (docs/migrate.md#committing).
 */
export async function findCopied(
  port: GlacierPort,
  target: CopyArchiveInput["target"],
  archive: { size: number; treeHash: string },
): Promise<CopiedArchive | undefined> {
  if (!port.findArchive) return undefined;
  const found = await port.findArchive(target.address, descriptionOfName(target.name));
  return found && holdsArchive(found, archive) ? copied(found, true) : undefined;
}

export async function copyArchive(input: CopyArchiveInput): Promise<CopiedArchive> {
  const { port, source, target } = input;
  const description = descriptionOfName(target.name);
  const where = `${target.address} ${JSON.stringify(target.name)}`;
  const find = async (): Promise<FoundArchive | undefined> => {
    if (!port.findArchive) throw new ConsoleError(`${target.address}: the backend cannot look up one object`);
    return port.findArchive(target.address, description);
  };

  const existing = await find();
  if (existing && holdsArchive(existing, source)) {
    // Copied already (a run killed after completing, another shard): an upload left open is moot.
    if (input.uploadId) await abortQuietly(port, target.address, input.uploadId);
    return copied(existing, true);
  }

  const minimum = port.capabilities?.(target.address).minPartSize ?? 0;
  const partSize = migratePartSize(
    source.size,
    Math.max(checkPartSize(input.partSize ?? MIGRATE_PART_SIZE, "partSize"), minimum),
  );
  const concurrency = Math.max(1, input.concurrency ?? DEFAULT_COPY_CONCURRENCY);
  // Reused part buffers: a fresh 16 MiB buffer per part costs a page-fault pass and garbage collection
  // per part and leaves the process's memory at several times concurrency x part size.
  const buffers = input.buffers ?? new BufferPool(Math.min(concurrency, Math.ceil(source.size / partSize)), partSize);
  let archiveId: string | undefined;
  if (source.size <= partSize) {
    archiveId = await buffers.lend(source.size, (buffer) => copyWhole(input, description, buffer));
    if (input.uploadId) await abortQuietly(port, target.address, input.uploadId);
  } else {
    archiveId = await copyInParts({
      port,
      clock: input.clock,
      source,
      address: target.address,
      name: target.name,
      description,
      partSize,
      uploadId: input.uploadId ?? undefined,
      onUploadStarted: input.onUploadStarted,
      concurrency,
      buffers,
      ...(input.signal ? { signal: input.signal } : {}),
    });
  }

  const stored = await find();
  if (!stored) throw new IntegrityError(`${where}: after the upload, S3 has no object with a tree hash there`);
  if (stored.treeHash !== source.treeHash || stored.size !== source.size)
    throw new IntegrityError(
      `${where}: S3 holds ${stored.size} bytes with tree hash ${stored.treeHash}, ` +
        `not the ${source.size} bytes with tree hash ${source.treeHash} that were sent`,
    );
  if (stored.sourceArchiveId !== source.archiveId)
    throw new IntegrityError(`${where}: the object does not name archive ${source.archiveId} as its source`);
  return copied(archiveId === undefined ? stored : { ...stored, archiveId }, false);
}

function copied(found: FoundArchive, adopted: boolean): CopiedArchive {
  return {
    archiveId: found.archiveId,
    treeHash: found.treeHash,
    size: found.size,
    s3Checksum: found.checksum ?? "",
    adopted,
  };
}

/** An archive of one part: the whole job output, checked, in one PutObject. */
async function copyWhole(input: CopyArchiveInput, description: string, buffer: Buffer): Promise<string> {
  const { source } = input;
  const fetched = await fetchRange({
    port: input.port,
    vault: source.vault,
    jobId: source.jobId,
    start: 0,
    end: source.size - 1,
    whole: true,
    clock: input.clock,
    linear: true,
    into: buffer,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  if (fetched.treeHash !== source.treeHash)
    throw new IntegrityError(
      `job ${source.jobId} of ${source.vault} gave bytes with tree hash ${fetched.treeHash}, ` +
        `not the archive's ${source.treeHash}`,
    );
  const created = await input.port.uploadArchive({
    vault: input.target.address,
    description,
    body: fetched.data,
    treeHash: fetched.treeHash,
    sha256: fetched.sha256 ?? "",
    sourceArchiveId: source.archiveId,
  });
  return created.archiveId;
}
