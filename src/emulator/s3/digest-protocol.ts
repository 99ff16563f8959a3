// Messages between the emulator's digest pool (digest-pool.ts) and its worker threads
// (src/workers/s3-digest-worker.ts). A body's bytes travel in batches whose ArrayBuffers are
// transferred to the worker and back with its acknowledgement, to be filled again.
import type { Algorithm } from "./checksums.ts";

/** What the emulator computes of a request body: the MD5 of its ETag and the S3 checksums. */
export type DigestName = Algorithm | "MD5";

export type DigestTask =
  | { kind: "open"; id: number; names: DigestName[] }
  | { kind: "data"; id: number; batch: ArrayBuffer; length: number }
  | { kind: "end"; id: number }
  /** The body failed: its digests are dropped without a reply. */
  | { kind: "drop"; id: number };

export type DigestReply =
  /** One per "data" task, with its batch. */
  | { kind: "ack"; id: number; batch: ArrayBuffer }
  /** The digests of the body, in the order of the names it was opened with. */
  | { kind: "digests"; id: number; digests: Uint8Array[] };
