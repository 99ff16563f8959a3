// Messages between the hash pool and its workers.

/** Hash bytes [start, start + length) of a file; start is a multiple of 1 MiB. */
export interface HashTask {
  id: number;
  path: string;
  start: number;
  /** Bytes to read; -1 means to the end of the file. */
  length: number;
  /** Also compute the plain SHA-256 of the range. */
  linear: boolean;
  /** Also compute the plain SHA-256 of each part of this size (start is a multiple of it). */
  partSize?: number;
}

export type HashReply =
  | { id: number; ok: true; bytes: number; chunkHashes: Uint8Array; sha256?: string; partSha256s?: string[] }
  | { id: number; ok: false; code?: string; message: string };
