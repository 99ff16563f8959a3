// What the upload engine needs from whoever remembers uploads across runs (the archive cache):
// docs/cache.md#updates: "record intent before a multipart upload starts so an interrupted one resumes
// (ListParts + tree-hash check) instead of starting over or leaving an orphan".
import type { UploadedPart } from "./port.ts";

/** Identifies "the same upload again": same file content as far as size and mtime tell. */
export interface UploadKey {
  vault: string;
  /** Absolute path of the file. */
  path: string;
  size: number;
  mtimeMs: number;
  /** The archive description (name) the upload was started with. */
  description: string;
}

export interface UploadIntent extends UploadKey {
  /** A multipart upload's id, or SINGLE_UPLOAD_PREFIX + a random id for a single-request upload. */
  uploadId: string;
  /** 0 for a single-request upload. */
  partSize: number;
  /** The whole archive's tree hash, when known before sending (single-request uploads). */
  treeHash?: string;
}

/**
 * Marks the intent of a single-request UploadArchive: recorded before the request is sent so an
 * archive stored by Glacier but unrecorded (a crash before the answer) is recognised by `vault sync`
 * in an inventory (name, size and tree hash). Such an intent is never resumed nor sent to ListParts.
 */
export const SINGLE_UPLOAD_PREFIX = "single:";

export function isSingleUploadId(uploadId: string): boolean {
  return uploadId.startsWith(SINGLE_UPLOAD_PREFIX);
}

export type UploadOutcome = { archiveId: string; treeHash: string } | { abandoned: true };

export interface UploadJournal {
  /** An interrupted multipart upload recorded for this key, if any. */
  existing(key: UploadKey): Promise<UploadIntent | undefined>;
  /**
   * Called right after InitiateMultipartUpload, before any part is sent, and before a
   * single-request upload of a file is sent; must be durable.
   */
  intent(intent: UploadIntent): Promise<void>;
  /** A part is stored in Glacier (just sent, or found intact by ListParts when resuming). */
  partDone(uploadId: string, part: UploadedPart): Promise<void>;
  /** The upload completed, or was abandoned (aborted, or gone from Glacier): forget the intent. */
  finished(uploadId: string, outcome: UploadOutcome): Promise<void>;
}

/**
 * A journal that lives as long as the process: resumes an upload retried in the same run (the
 * git-annex remote, multi-upload) and stands in where there is no cache. The cache's journal
 * implements the same interface durably.
 */
export class MemoryUploadJournal implements UploadJournal {
  readonly #intents = new Map<string, UploadIntent>();
  readonly #parts = new Map<string, UploadedPart[]>();

  existing(key: UploadKey): Promise<UploadIntent | undefined> {
    const found = [...this.#intents.values()].find(
      (i) =>
        !isSingleUploadId(i.uploadId) &&
        i.vault === key.vault &&
        i.path === key.path &&
        i.size === key.size &&
        i.mtimeMs === key.mtimeMs &&
        i.description === key.description,
    );
    return Promise.resolve(found);
  }

  intent(intent: UploadIntent): Promise<void> {
    this.#intents.set(intent.uploadId, { ...intent });
    this.#parts.set(intent.uploadId, []);
    return Promise.resolve();
  }

  partDone(uploadId: string, part: UploadedPart): Promise<void> {
    this.#parts.get(uploadId)?.push({ ...part });
    return Promise.resolve();
  }

  finished(uploadId: string): Promise<void> {
    this.#intents.delete(uploadId);
    this.#parts.delete(uploadId);
    return Promise.resolve();
  }

  /** Open intents (for reports and tests). */
  intents(): UploadIntent[] {
    return [...this.#intents.values()];
  }

  /** Parts recorded for an open intent. */
  partsOf(uploadId: string): UploadedPart[] {
    return [...(this.#parts.get(uploadId) ?? [])];
  }
}
