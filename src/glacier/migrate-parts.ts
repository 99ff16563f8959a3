// The multipart side of the streamed copy (migrate-copy.ts, docs/migrate.md#the-copy): resuming the
// upload a killed run recorded, aborting uploads of the key that no ledger knows, and sending the
// parts, at most `concurrency` in flight. Each part is a tree-hash-aligned range of the job output,
// checked against Glacier's tree hash as it arrives. A part S3 already holds is skipped when its
// SHA-256 equals that of the range read again: the read is what gives its tree hash for the whole.
import { sameUpload } from "../backend/s3/upload-ids.ts";
import type { Clock } from "../core/clock.ts";
import { IntegrityError, ServiceError, defined } from "../core/errors.ts";
import { MAX_PARTS, isValidPartSize } from "../core/multipart.ts";
import { nameFromDescription } from "../core/names.ts";
import { foldHexHashes } from "../core/tree-hash.ts";
import type { BufferPool } from "./buffer-pool.ts";
import { fetchRange } from "./fetch-range.ts";
import type { GlacierPort, UploadedPart } from "./port.ts";

export interface PartsCopyInput {
  port: GlacierPort;
  clock: Clock;
  source: { vault: string; jobId: string; archiveId: string; size: number; treeHash: string };
  address: string;
  name: string;
  description: string;
  partSize: number;
  uploadId: string | undefined;
  onUploadStarted: (uploadId: string) => Promise<void>;
  concurrency: number;
  /** Where parts are read: a buffer per part in flight. */
  buffers: BufferPool;
  signal?: AbortSignal;
}

interface OpenUpload {
  uploadId: string;
  partSize: number;
  /** The parts S3 holds, by start offset. */
  held: Map<number, UploadedPart>;
}

/** Copies the archive through a multipart upload; returns the completed object's archive id, if S3 said it. */
export async function copyInParts(input: PartsCopyInput): Promise<string | undefined> {
  const { port, address, source } = input;
  const resumed = input.uploadId === undefined ? undefined : await resume(input, input.uploadId);
  await abortOthers(input, resumed?.uploadId);
  const upload = resumed ?? (await start(input));
  let treeHashes: string[];
  try {
    treeHashes = await sendParts(input, upload);
  } catch (error) {
    // The job output is not the archive: its parts are worth nothing to a later run.
    if (error instanceof IntegrityError) await abortQuietly(port, address, upload.uploadId);
    throw error;
  }
  const whole = foldHexHashes(treeHashes);
  if (whole !== source.treeHash) {
    await abortQuietly(port, address, upload.uploadId);
    throw new IntegrityError(
      `job ${source.jobId} of ${source.vault} gave bytes with tree hash ${whole}, not the archive's ${source.treeHash}`,
    );
  }
  try {
    const created = await port.completeMultipart({
      vault: address,
      uploadId: upload.uploadId,
      size: source.size,
      treeHash: whole,
    });
    return created.archiveId;
  } catch (error) {
    // A retried CompleteMultipartUpload whose first attempt completed (its answer lost) finds the
    // upload gone: the HeadObject that follows tells whether the object is there.
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The recorded upload and the parts S3 holds, or undefined when it is gone or cannot be continued. */
async function resume(input: PartsCopyInput, uploadId: string): Promise<OpenUpload | undefined> {
  let listed;
  try {
    listed = await input.port.listParts(input.address, uploadId);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const partSize = listed.partSize > 0 ? listed.partSize : input.partSize;
  if (!isValidPartSize(partSize) || Math.ceil(input.source.size / partSize) > MAX_PARTS) {
    await abortQuietly(input.port, input.address, uploadId);
    return undefined;
  }
  return { uploadId, partSize, held: new Map(listed.parts.map((p) => [p.start, p])) };
}

async function start(input: PartsCopyInput): Promise<OpenUpload> {
  const { uploadId } = await input.port.initiateMultipart({
    vault: input.address,
    description: input.description,
    partSize: input.partSize,
    treeHash: input.source.treeHash,
    size: input.source.size,
    sourceArchiveId: input.source.archiveId,
  });
  try {
    await input.onUploadStarted(uploadId);
  } catch (error) {
    await abortQuietly(input.port, input.address, uploadId);
    throw error;
  }
  return { uploadId, partSize: input.partSize, held: new Map() };
}

/**
 * Aborts the key's uploads other than `keep`: those of a run killed between CreateMultipartUpload
 * and the ledger's record, which nothing would ever complete (S3 bills their parts until aborted).
 */
async function abortOthers(input: PartsCopyInput, keep: string | undefined): Promise<void> {
  const uploads = await input.port.listMultipartUploads(input.address);
  for (const upload of uploads) {
    if (nameFromDescription(upload.description) !== input.name) continue;
    if (keep !== undefined && sameUpload(upload.uploadId, keep)) continue;
    await abortQuietly(input.port, input.address, upload.uploadId);
  }
}

/** The parts' tree hashes, in order; parts are read and sent by `concurrency` workers. */
async function sendParts(input: PartsCopyInput, upload: OpenUpload): Promise<string[]> {
  const { size } = input.source;
  const count = Math.ceil(size / upload.partSize);
  const treeHashes: string[] = [];
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < count) {
      const index = next++;
      const start = index * upload.partSize;
      const end = Math.min(size, start + upload.partSize) - 1;
      try {
        treeHashes[index] = await input.buffers.lend(end - start + 1, (buffer) =>
          copyPart(input, upload, { start, end, buffer }),
        );
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(input.concurrency, count) }, worker));
  if (failure) throw failure.error;
  return treeHashes;
}

async function copyPart(
  input: PartsCopyInput,
  upload: OpenUpload,
  { start, end, buffer }: { start: number; end: number; buffer: Buffer },
): Promise<string> {
  input.signal?.throwIfAborted();
  const fetched = await fetchRange({
    port: input.port,
    vault: input.source.vault,
    jobId: input.source.jobId,
    start,
    end,
    whole: false,
    clock: input.clock,
    linear: true,
    into: buffer,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  if (!fetched.verifiedByHeader)
    throw new IntegrityError(`Glacier sent no tree hash for bytes ${start}-${end} of job ${input.source.jobId}`);
  const sha256 = defined(fetched.sha256, "fetched.sha256");
  const held = upload.held.get(start);
  if (held?.end === end && held.sha256 === sha256) return fetched.treeHash;
  await input.port.uploadPart({
    vault: input.address,
    uploadId: upload.uploadId,
    start,
    body: fetched.data,
    treeHash: fetched.treeHash,
    sha256,
  });
  return fetched.treeHash;
}

/** Aborts an upload; one already gone (completed, aborted) is fine. */
export async function abortQuietly(port: GlacierPort, address: string, uploadId: string): Promise<void> {
  try {
    await port.abortMultipart(address, uploadId);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof ServiceError && error.code === "ResourceNotFoundException";
}
