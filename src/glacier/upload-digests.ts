// The digests of a multipart upload computed before it starts, for a backend that stores the tree
// hash when the upload is created (S3 metadata, docs/backends.md#upload-and-integrity): one read of
// the file gives the tree hash and each part's tree hash and SHA-256, so the parts are then sent
// without being hashed again. The bytes sent later are still checked against these digests by the
// service (each part's SHA-256 checksum and signed payload hash): a file changed in between is
// refused part by part, never stored under the tree hash of its earlier content.
import { FileChangedError } from "../core/errors.ts";
import { TreeHasher, foldHexHashes } from "../core/tree-hash.ts";
import type { FileParts, HashPool } from "../platform/hash-pool.ts";
import type { FileSource } from "./upload-source.ts";

export type { FileParts };
export type PartDigest = FileParts["parts"][number];

/** Hashes a file's parts on other threads. */
export type PartHasher = Pick<HashPool, "hashParts" | "close">;

/** Refusal codes of a part whose bytes do not match the digests sent with it. */
const DIGEST_MISMATCH = new Set(["ChecksumMismatch", "XAmzContentSHA256Mismatch", "InvalidDigest", "BadDigest"]);

export function isDigestMismatch(error: unknown): boolean {
  return DIGEST_MISMATCH.has((error as { code?: unknown }).code as string);
}

export async function digestParts(file: FileSource, partSize: number, hasher?: PartHasher): Promise<FileParts> {
  if (!hasher) return digestInThread(file, partSize);
  try {
    return await hasher.hashParts(file.path, partSize, file.identity.size).catch((error: unknown) => {
      throw error instanceof FileChangedError ? file.changed() : error;
    });
  } finally {
    // The workers' heaps are let go before the part buffers are allocated: the peak memory of the
    // upload is the larger of the two, not their sum (a pool starts its workers again when used).
    await hasher.close();
  }
}

// Read in 1 MiB pieces: a part-sized buffer here would add to the peak memory of the parts after it.
async function digestInThread(file: FileSource, partSize: number): Promise<FileParts> {
  const size = file.identity.size;
  const buffer = Buffer.allocUnsafe(Math.min(1024 * 1024, size));
  const parts: PartDigest[] = [];
  for (let partStart = 0; partStart < size; partStart += partSize) {
    const hasher = new TreeHasher({ linear: true });
    const partEnd = Math.min(size, partStart + partSize);
    for (let start = partStart; start < partEnd; start += buffer.length) {
      const chunk = buffer.subarray(0, Math.min(buffer.length, partEnd - start));
      await file.readExactly(chunk, start);
      hasher.update(chunk);
    }
    parts.push({ treeHash: hasher.hexDigest(), sha256: hasher.linearHexDigest() });
  }
  return { treeHash: foldHexHashes(parts.map((p) => p.treeHash)), parts };
}
