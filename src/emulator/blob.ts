// Receiving archive bytes: the request body is written to a file while its SHA-256 and tree hash
// are computed in the same pass (docs/emulator.md#fidelity: "stream uploads to disk while hashing"), so
// memory does not grow with the archive. One write is in flight while the next chunk is hashed.
import { open } from "node:fs/promises";
import { writeFully } from "../platform/write-fully.ts";
import { TreeHasher } from "../core/tree-hash.ts";
import { GlacierApiError } from "./api-error.ts";

export interface Received {
  size: number;
  sha256: string;
  treeHash: string;
  chunkHashes: Buffer[];
}

export interface ReceiveOptions {
  /** Write at this offset of an existing file (multipart parts) instead of creating the file. */
  position?: number;
  /** A body longer than this is refused (InvalidParameterValueException). */
  maxBytes: number;
}

// Socket chunks are ~64 KiB; writing each one is a syscall and a thread-pool round trip, so they are
// gathered into batches of 1 MiB and written with one writev while the next batch is hashed
// (1 MiB rather than more: each batch in flight is memory held per connection).
const BATCH = 1024 * 1024;

export async function receiveToFile(
  body: AsyncIterable<Uint8Array>,
  path: string,
  options: ReceiveOptions,
): Promise<Received> {
  const hasher = new TreeHasher({ linear: true });
  await streamToFile(body, path, options, (chunk) => {
    hasher.update(chunk);
    return undefined;
  });
  return {
    size: hasher.length,
    sha256: hasher.linearHexDigest(),
    treeHash: hasher.hexDigest(),
    chunkHashes: hasher.chunkHashes(),
  };
}

/**
 * Writes a body to a file in batches, handing each chunk to `onChunk` (hashing) as it passes (a
 * promise it returns is awaited before the next chunk is read); returns the byte count. A body
 * longer than maxBytes is refused (InvalidParameterValueException, or what `tooLarge` makes).
 */
export async function streamToFile(
  body: AsyncIterable<Uint8Array>,
  path: string,
  options: ReceiveOptions & { tooLarge?: () => Error },
  onChunk: (chunk: Uint8Array) => Promise<void> | undefined,
): Promise<number> {
  const handle = await open(path, options.position === undefined ? "w" : "r+");
  let received = 0;
  let position = options.position ?? 0;
  let pending: Promise<unknown> = Promise.resolve();
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  const flush = async () => {
    await pending;
    pending = writeFully(handle, batch, position);
    // Awaited by the next flush or at the end; a failure in between is not "unhandled".
    pending.catch(() => undefined);
    position += batchBytes;
    batch = [];
    batchBytes = 0;
  };
  try {
    for await (const chunk of body) {
      if (received + chunk.length > options.maxBytes) {
        throw (
          options.tooLarge?.() ??
          new GlacierApiError(
            "InvalidParameterValueException",
            `Request body is larger than the allowed ${options.maxBytes} bytes`,
          )
        );
      }
      received += chunk.length;
      const behind = onChunk(chunk);
      if (behind) await behind;
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= BATCH) await flush();
    }
    if (batchBytes > 0) await flush();
    await pending;
  } finally {
    await pending.catch(() => undefined);
    await handle.close();
  }
  return received;
}

/** The chunk digests file format: the raw 32-byte digests back to back. */
export function encodeChunkHashes(hashes: readonly Buffer[]): Buffer {
  return Buffer.concat(hashes);
}

export function decodeChunkHashes(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i + 32 <= data.length; i += 32) out.push(data.subarray(i, i + 32));
  return out;
}
