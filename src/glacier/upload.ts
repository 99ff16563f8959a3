// The upload engine (docs/glacier-api.md#multipart-uploads): one UploadArchive request up to the part size, multipart
// above; parts read once into Buffers (content SHA-256 and tree hash computed in the same pass) and
// sent `concurrency` at a time; an interrupted multipart upload of a file resumes from the journal
// (ListParts, each part's tree hash checked against the file, only missing parts sent).
// Memory: at most `concurrency` part buffers exist, so peak <= concurrency x part size + overhead.
// Retries: pass a retryingPort (retry.ts); this engine adds no retry layer of its own.
import type { BufferPool } from "./buffer-pool.ts";
import { ConsoleError, FileError, IntegrityError, ServiceError, defined } from "../core/errors.ts";
import { MAX_PARTS, choosePartSize, splitRanges } from "../core/multipart.ts";
import { TreeHasher, foldHexHashes } from "../core/tree-hash.ts";
import { createHash, randomUUID, type Hash } from "node:crypto";
import { resolve } from "node:path";
import type { Readable } from "node:stream";
import type { GlacierPort, UploadedPart } from "./port.ts";
import { SINGLE_UPLOAD_PREFIX, type UploadIntent, type UploadJournal, type UploadKey } from "./upload-journal.ts";
import { isTransient } from "./retry.ts";
import { FileSource, StreamSource } from "./upload-source.ts";
import { sendParts, type PartsOutcome } from "./upload-parts.ts";
import { digestParts, isDigestMismatch, type PartHasher } from "./upload-digests.ts";

export const DEFAULT_CONCURRENCY = 4;

export interface UploadRequest {
  port: GlacierPort;
  vault: string;
  /** Archive description (the name), already encoded to printable ASCII. */
  description?: string;
  source: { path: string } | { stream: Readable; name: string };
  /** Validated 1 MiB x 2^k; chosen from the size when absent (core/multipart.ts). */
  partSize?: number;
  concurrency?: number;
  journal?: UploadJournal;
  /** Also compute the SHA-256 of the whole content (same read). */
  wholeSha256?: boolean;
  /** Buffers to read single-request files into, shared by the uploads of one run. */
  scratch?: BufferPool;
  /** Hashes the parts of a file on other threads when the tree hash is needed before the upload. */
  partHasher?: PartHasher;
  /** Bytes stored so far (parts found intact on resume count too). */
  onProgress?: (bytesDone: number) => void;
  /** Called once when an interrupted multipart upload is taken up again, before any part is sent. */
  onResume?: (resumed: ResumedUpload) => void;
}

/** What Glacier already held of an interrupted upload taken up again. */
export interface ResumedUpload {
  partsStored: number;
  partsTotal: number;
  bytesStored: number;
  size: number;
}

export interface UploadResult {
  archiveId: string;
  treeHash: string;
  size: number;
  sha256?: string;
  location?: string;
  /** Multipart only. */
  uploadId?: string;
  partSize?: number;
  partsSent: number;
  /** Parts a resumed upload did not need to send again. */
  partsReused: number;
}

export async function uploadArchive(request: UploadRequest): Promise<UploadResult> {
  const concurrency = Math.max(1, request.concurrency ?? DEFAULT_CONCURRENCY);
  const whole = request.wholeSha256 ? createHash("sha256") : undefined;
  if ("path" in request.source) {
    const file = await FileSource.open(request.source.path);
    try {
      const size = file.identity.size;
      const partSize = atLeastMinimum(request, choosePartSize(size, request.partSize));
      if (size <= partSize) {
        // Many small files in a row (bands of a sparsebundle): reuse the caller's buffers rather
        // than allocating 8 MiB per file (measured: 126 full collections per 256 bands, 2 with reuse).
        const scratch = request.scratch && size <= request.scratch.size ? await request.scratch.acquire() : undefined;
        try {
          const body = scratch ? scratch.subarray(0, size) : Buffer.allocUnsafe(size);
          await file.readExactly(body, 0);
          await file.checkUnchanged();
          const key = {
            vault: request.vault,
            path: resolve(file.path),
            size,
            mtimeMs: file.identity.mtimeMs,
            description: request.description ?? "",
          };
          return await single(request, body, whole, key);
        } finally {
          if (scratch) defined(request.scratch, "request.scratch").release(scratch);
        }
      }
      return await multipartFromFile(request, file, partSize, concurrency, whole);
    } finally {
      await file.close();
    }
  }
  const stream = new StreamSource(request.source.name, request.source.stream);
  const partSize = atLeastMinimum(request, choosePartSize(undefined, request.partSize));
  const first = Buffer.allocUnsafe(partSize);
  const length = await stream.fill(first);
  if (length === 0)
    throw new FileError(request.source.name, "no data to upload, and Glacier cannot store an empty archive");
  if (await stream.atEnd()) return single(request, first.subarray(0, length), whole);
  return multipartFromStream(request, stream, first, partSize, concurrency, whole);
}

/**
 * One UploadArchive request. For a file with a journal, the intent (name, size, tree hash) is made
 * durable before the request is sent and closed together with the archive's record: a crash in
 * between leaves an open intent by which `vault sync` recognises the unrecorded archive. A request
 * that failed transiently (a reset, a timeout: possibly stored) leaves the intent open too; one the
 * service refused for good (no such vault, invalid input) stored nothing and closes it.
 */
async function single(
  request: UploadRequest,
  body: Buffer,
  whole: Hash | undefined,
  key?: UploadKey,
): Promise<UploadResult> {
  const hasher = new TreeHasher({ linear: true }).update(body);
  whole?.update(body);
  const treeHash = hasher.hexDigest();
  const sha256 = hasher.linearHexDigest();
  const journal = key ? request.journal : undefined;
  const uploadId = `${SINGLE_UPLOAD_PREFIX}${randomUUID()}`;
  if (journal && key) await journal.intent({ ...key, uploadId, partSize: 0, treeHash });
  const created = await request.port
    .uploadArchive({ vault: request.vault, body, treeHash, sha256, ...description(request) })
    .catch(async (error: unknown) => {
      if (journal && error instanceof ServiceError && !isTransient(error))
        await journal.finished(uploadId, { abandoned: true });
      throw error;
    });
  if (created.treeHash && created.treeHash !== treeHash) {
    throw new IntegrityError(`Glacier stored a different tree hash (${created.treeHash}) than was sent (${treeHash})`);
  }
  await journal?.finished(uploadId, { archiveId: created.archiveId, treeHash });
  if (journal && key && created.earlierAttemptMayHaveStored) {
    // A retry succeeded after an attempt that may have been stored: an open intent with the same
    // name, size and tree hash lets `vault sync` delete that copy as a duplicate of this archive.
    await journal.intent({ ...key, uploadId: `${SINGLE_UPLOAD_PREFIX}${randomUUID()}`, partSize: 0, treeHash });
  }
  request.onProgress?.(body.length);
  return {
    archiveId: created.archiveId,
    treeHash,
    size: body.length,
    ...(whole ? { sha256: whole.digest("hex") } : {}),
    ...(created.location ? { location: created.location } : {}),
    partsSent: 1,
    partsReused: 0,
  };
}

async function multipartFromFile(
  request: UploadRequest,
  file: FileSource,
  partSize: number,
  concurrency: number,
  whole: Hash | undefined,
): Promise<UploadResult> {
  const key = {
    vault: request.vault,
    path: resolve(file.path),
    size: file.identity.size,
    mtimeMs: file.identity.mtimeMs,
    description: request.description ?? "",
  };
  const journal = request.journal;
  let resumed: { intent: UploadIntent; parts: Map<number, UploadedPart> } | undefined;
  const previous = await journal?.existing(key);
  if (previous && previous.partSize !== partSize) {
    // Parts of another size cannot be reused: drop that upload rather than leave it orphaned.
    await request.port.abortMultipart(request.vault, previous.uploadId).catch(() => undefined);
    await journal?.finished(previous.uploadId, { abandoned: true });
  } else if (previous) {
    const listing = await request.port.listParts(request.vault, previous.uploadId).catch(async (error: unknown) => {
      // Gone from Glacier (completed, aborted or reclaimed after 24 h idle): start over.
      // It may have completed and been killed before it was recorded: as for a single-request
      // upload, an intent with name, size and tree hash (an extra read of the file, in this rare
      // case) lets `vault sync` find that archive, recorded before the old intent is closed.
      if (error instanceof ServiceError && error.code === "ResourceNotFoundException") {
        if (journal)
          await journal.intent({
            ...key,
            uploadId: `${SINGLE_UPLOAD_PREFIX}${randomUUID()}`,
            partSize: 0,
            treeHash: await treeHashOf(file, partSize),
          });
        await journal?.finished(previous.uploadId, { abandoned: true });
        return undefined;
      }
      throw error;
    });
    if (listing) resumed = { intent: previous, parts: new Map(listing.parts.map((p) => [p.start, p])) };
  }
  let uploadId: string;
  // A backend that stores the tree hash with the object when the upload starts (S3 metadata) gets
  // it, and every part's digests, from one extra read of the file (upload-digests.ts); the parts are
  // then sent with those digests, which the service checks against the bytes it receives.
  const digests = request.port.capabilities?.(request.vault).treeHashBeforeMultipart
    ? await digestParts(file, partSize, request.partHasher)
    : undefined;
  const upFront = digests?.treeHash;
  if (resumed) {
    uploadId = resumed.intent.uploadId;
  } else {
    ({ uploadId } = await request.port.initiateMultipart({
      vault: request.vault,
      partSize,
      ...description(request),
      ...(upFront !== undefined ? { treeHash: upFront, size: file.identity.size } : {}),
    }));
    await journal?.intent({ ...key, uploadId, partSize, ...(upFront !== undefined ? { treeHash: upFront } : {}) });
  }
  const ranges = splitRanges(file.identity.size, partSize);
  if (resumed) request.onResume?.(resumedUpload(resumed.parts, file.identity.size, partSize));
  try {
    const outcome = await sendParts(
      request,
      uploadId,
      ranges,
      partSize,
      concurrency,
      whole,
      async (buffer, range) => {
        const length = range.end - range.start + 1;
        await file.readExactly(buffer.subarray(0, length), range.start);
        return length;
      },
      resumed?.parts,
      digests?.parts,
    ).catch((error: unknown) => {
      // The digests were read before the upload: bytes that no longer match them were changed since.
      throw digests && isDigestMismatch(error) ? file.changed() : error;
    });
    await file.checkUnchanged();
    if (upFront !== undefined && foldHexHashes(outcome.treeHashes) !== upFront)
      throw new IntegrityError(`${file.path} changed while it was uploaded: its tree hash is no longer ${upFront}`);
    return await complete(request, uploadId, partSize, file.identity.size, outcome, whole);
  } catch (error) {
    // A changed file must leave nothing behind; other failures keep the upload for --resume
    // when a journal remembers it, else abort it so no orphan upload is left.
    if (file.wasChanged || !journal) {
      await request.port.abortMultipart(request.vault, uploadId).catch(() => undefined);
      await journal?.finished(uploadId, { abandoned: true });
    }
    throw error;
  }
}

function resumedUpload(parts: ReadonlyMap<number, UploadedPart>, size: number, partSize: number): ResumedUpload {
  const inFile = [...parts.values()].filter((p) => p.start < size);
  const bytesStored = inFile.reduce((sum, p) => sum + Math.min(p.end, size - 1) - p.start + 1, 0);
  return { partsStored: inFile.length, partsTotal: Math.ceil(size / partSize), bytesStored, size };
}

async function treeHashOf(file: FileSource, partSize: number): Promise<string> {
  const hasher = new TreeHasher();
  const buffer = Buffer.allocUnsafe(Math.min(partSize, file.identity.size));
  for (let start = 0; start < file.identity.size; start += buffer.length) {
    const chunk = buffer.subarray(0, Math.min(buffer.length, file.identity.size - start));
    await file.readExactly(chunk, start);
    hasher.update(chunk);
  }
  return hasher.hexDigest();
}

async function multipartFromStream(
  request: UploadRequest,
  stream: StreamSource,
  first: Buffer,
  partSize: number,
  concurrency: number,
  whole: Hash | undefined,
): Promise<UploadResult> {
  if (request.port.capabilities?.(request.vault).treeHashBeforeMultipart)
    throw new ConsoleError(
      `${stream.name}: more than one part (${partSize} bytes) from a stream: ${request.vault} stores an archive's ` +
        "tree hash when its upload starts, which a stream cannot give; upload a file, or a larger --part-size",
    );
  const { uploadId } = await request.port.initiateMultipart({
    vault: request.vault,
    partSize,
    ...description(request),
  });
  let pendingFirst: Buffer | undefined = first;
  let size = 0;
  // Unknown length: ranges are produced lazily until the stream ends.
  const ranges = (function* () {
    for (let index = 0; ; index++) yield { index, start: index * partSize, end: (index + 1) * partSize - 1 };
  })();
  try {
    const outcome = await sendParts(request, uploadId, ranges, partSize, concurrency, whole, async (buffer, range) => {
      if (range.index >= MAX_PARTS) {
        if (await stream.atEnd()) return 0;
        throw new ConsoleError(
          `${stream.name}: more than ${MAX_PARTS} parts of ${partSize} bytes; use a larger --part-size`,
        );
      }
      let got: number;
      if (pendingFirst) {
        pendingFirst.copy(buffer);
        got = pendingFirst.length;
        pendingFirst = undefined;
      } else {
        got = await stream.fill(buffer);
      }
      size += got;
      return got;
    });
    return await complete(request, uploadId, partSize, size, outcome, whole);
  } catch (error) {
    // A stream cannot be read again, so there is nothing to resume: do not leave an orphan.
    await request.port.abortMultipart(request.vault, uploadId).catch(() => undefined);
    throw error;
  }
}

async function complete(
  request: UploadRequest,
  uploadId: string,
  partSize: number,
  size: number,
  outcome: PartsOutcome,
  whole: Hash | undefined,
): Promise<UploadResult> {
  // Parts are power-of-two MiB, so each is a node of the archive's tree: the archive hash is the
  // pairwise fold of the part hashes (docs/glacier-api.md#multipart-uploads).
  const treeHash = foldHexHashes(outcome.treeHashes);
  const created = await request.port.completeMultipart({ vault: request.vault, uploadId, size, treeHash });
  if (created.treeHash && created.treeHash !== treeHash) {
    throw new IntegrityError(`Glacier assembled an archive with tree hash ${created.treeHash}, not ${treeHash}`);
  }
  await request.journal?.finished(uploadId, { archiveId: created.archiveId, treeHash });
  return {
    archiveId: created.archiveId,
    treeHash,
    size,
    ...(whole ? { sha256: whole.digest("hex") } : {}),
    ...(created.location ? { location: created.location } : {}),
    uploadId,
    partSize,
    partsSent: outcome.sent,
    partsReused: outcome.reused,
  };
}

function description(request: UploadRequest): { description?: string } {
  return request.description !== undefined ? { description: request.description } : {};
}

/** A backend's smallest part (S3: 5 MiB) wins over a smaller chosen or requested size. */
function atLeastMinimum(request: UploadRequest, partSize: number): number {
  return Math.max(partSize, request.port.capabilities?.(request.vault).minPartSize ?? 0);
}
