// Sending the parts of a multipart upload: each range is read into a pooled buffer (so at most
// `concurrency` part buffers exist), hashed once (tree hash and SHA-256 together), and sent unless
// the service already holds a part with the same range and tree hash (resume). Digests computed
// before the upload (upload-digests.ts) are used as they are.
import type { Hash } from "node:crypto";
import { IntegrityError } from "../core/errors.ts";
import type { ByteRange } from "../core/multipart.ts";
import { TreeHasher } from "../core/tree-hash.ts";
import { BufferPool } from "./buffer-pool.ts";
import type { GlacierPort, UploadedPart } from "./port.ts";
import type { UploadJournal } from "./upload-journal.ts";
import type { PartDigest } from "./upload-digests.ts";

/** The part of an upload request that sending parts needs (upload.ts's UploadRequest has it all). */
export interface PartsRequest {
  port: GlacierPort;
  vault: string;
  journal?: UploadJournal;
  onProgress?: (bytesDone: number) => void;
}

export interface PartsOutcome {
  treeHashes: string[];
  sent: number;
  reused: number;
}

/**
 * Reads each range into a pooled buffer (waiting while all `concurrency` buffers are in flight),
 * hashes it and sends it unless `existing` holds the same bytes. `read` returns the byte count;
 * 0 ends an unbounded range list.
 */
export async function sendParts(
  request: PartsRequest,
  uploadId: string,
  ranges: Iterable<ByteRange>,
  partSize: number,
  concurrency: number,
  whole: Hash | undefined,
  read: (buffer: Buffer, range: ByteRange) => Promise<number>,
  existing?: Map<number, UploadedPart>,
  known?: readonly PartDigest[],
): Promise<PartsOutcome> {
  const pool = new BufferPool(concurrency, partSize);
  const treeHashes: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let done = 0;
  let sent = 0;
  let reused = 0;
  const progress = (bytes: number) => request.onProgress?.((done += bytes));

  for (const range of ranges) {
    if (failure) break;
    const buffer = await pool.acquire();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a part in flight may fail in the await
    if (failure) {
      pool.release(buffer);
      break;
    }
    let length: number;
    try {
      length = await read(buffer, range);
    } catch (error) {
      pool.release(buffer);
      failure ??= { error };
      break;
    }
    if (length === 0) {
      pool.release(buffer);
      break;
    }
    const body = buffer.subarray(0, length);
    whole?.update(body);
    const { treeHash, sha256 } = known?.[range.index] ?? digestOf(body);
    treeHashes[range.index] = treeHash;
    const part = { start: range.start, end: range.start + length - 1, treeHash };
    const stored = existing?.get(range.start);
    if (stored && stored.end === part.end && samePart(stored, treeHash, sha256)) {
      pool.release(buffer);
      reused++;
      await request.journal?.partDone(uploadId, part);
      progress(length);
      continue;
    }
    const task = (async () => {
      try {
        const answer = await request.port.uploadPart({
          vault: request.vault,
          uploadId,
          start: range.start,
          body,
          treeHash,
          sha256,
        });
        if (answer.treeHash && answer.treeHash !== treeHash) {
          throw new IntegrityError(
            `Glacier stored part ${range.start}-${part.end} with tree hash ${answer.treeHash}, not ${treeHash}`,
          );
        }
        sent++;
        await request.journal?.partDone(uploadId, part);
        progress(length);
      } catch (error) {
        failure ??= { error };
      } finally {
        pool.release(buffer);
      }
    })();
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
    if (length < partSize) break;
  }
  await Promise.all(inFlight);
  pool.drain();
  if (failure) throw failure.error;
  return { treeHashes, sent, reused };
}

function digestOf(body: Buffer): PartDigest {
  const hasher = new TreeHasher({ linear: true }).update(body);
  return { treeHash: hasher.hexDigest(), sha256: hasher.linearHexDigest() };
}

/** A part the service already holds is reused when its tree hash (or, for S3, its SHA-256) matches. */
function samePart(stored: UploadedPart, treeHash: string, sha256: string): boolean {
  return stored.treeHash !== "" ? stored.treeHash === treeHash : stored.sha256 === sha256;
}
