// The digests of one request body (MD5 for the ETag, the SHA-256 a signature covers, the S3
// checksum), fed chunk by chunk as the body is written to its file. Computed on the main thread
// (`inlineDigests`) or on worker threads (digest-pool.ts), behind the same interface.
import { newDigest } from "./checksums.ts";
import type { DigestName } from "./digest-protocol.ts";

export type { DigestName };

export interface BodyDigests {
  /** Feeds the next bytes; a promise means the hashing is behind: wait for it before feeding more. */
  update(chunk: Uint8Array): Promise<void> | undefined;
  /** The digests of all the bytes fed, in the order of the names they were opened with. */
  result(): Promise<Buffer[]>;
  /** The body failed: its digests are not wanted. */
  abandon(): void;
}

/** Where a body's digests are computed; `expectedBytes` is its declared length, if any. */
export interface BodyHashing {
  open(names: readonly DigestName[], expectedBytes: number | undefined): BodyDigests;
  close(): Promise<void>;
}

export function inlineDigests(names: readonly DigestName[]): BodyDigests {
  const digests = names.map((name) => newDigest(name));
  return {
    update(chunk) {
      for (const digest of digests) digest.update(chunk);
      return undefined;
    },
    result: () => Promise.resolve(digests.map((d) => d.digest())),
    abandon: () => undefined,
  };
}

/** Every body hashed on the main thread. */
export const INLINE_HASHING: BodyHashing = {
  open: (names) => inlineDigests(names),
  close: () => Promise.resolve(),
};
