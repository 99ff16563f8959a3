// What the upload engine needs from whoever remembers uploads across runs (the archive cache):
// DESIGN.md "record intent before a multipart upload starts so an interrupted one resumes
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
  uploadId: string;
  partSize: number;
}

export type UploadOutcome = { archiveId: string; treeHash: string } | { abandoned: true };

export interface UploadJournal {
  /** An interrupted multipart upload recorded for this key, if any. */
  existing(key: UploadKey): Promise<UploadIntent | undefined>;
  /** Called right after InitiateMultipartUpload, before any part is sent; must be durable. */
  intent(intent: UploadIntent): Promise<void>;
  /** A part is stored in Glacier (just sent, or found intact by ListParts when resuming). */
  partDone(uploadId: string, part: UploadedPart): Promise<void>;
  /** The upload completed, or was abandoned (aborted, or gone from Glacier): forget the intent. */
  finished(uploadId: string, outcome: UploadOutcome): Promise<void>;
}
