// The cache's public vocabulary (besides CachedArchive in core/types.ts).
import type { CachedArchive } from "../core/types.ts";
import type { Owner } from "./owner.ts";

/** What an upload that completed tells the cache (docs/cache.md#updates "Upload: insert a row"). */
export interface CompletedUpload {
  id: string;
  name: string | null;
  treeHash: string | null;
  size: number | null;
  /** The archive's CreationDate, epoch ms; defaults to now. */
  creationDate?: number;
}

/**
 * One change of an inventory reconciliation (docs/cache.md#inventory-reconciliation). Changes name fields, never whole
 * rows, so a deletion or upload made by another process between planning and applying survives.
 */
export type SyncChange =
  /** "Not found: insert a row with name = description, last_seen_upstream = seen, created_here = now." */
  | {
      kind: "insert";
      id: string;
      name: string | null;
      treeHash: string | null;
      size: number | null;
      creationDate: number | null;
      lastSeenUpstream: number;
      deletedHere?: number;
    }
  /** Sets the given fields of an existing row (seen, adopted or fixed name, hash/size when unknown). */
  | {
      kind: "update";
      id: string;
      set: Partial<Pick<CachedArchive, "name" | "treeHash" | "size" | "creationDate" | "lastSeenUpstream">>;
    }
  /** "remove the row" (left inventory, or disappeared with --fix). */
  | { kind: "remove"; id: string }
  /** Forgets an upload intent (its archive was found in the inventory, or it is stale). */
  | { kind: "close-intent"; uploadId: string };

export interface UploadPart {
  /** Byte offset of the part in the archive. */
  start: number;
  length: number;
  /** Tree hash of the part, lower-case hex (checked against ListParts on resume). */
  treeHash: string;
}

/** A multipart upload recorded before it started, so that an interrupted one resumes. */
export interface UploadIntent {
  vault: string;
  uploadId: string;
  name: string | null;
  /** The local file being uploaded, when there is one (not for stdin). */
  localPath: string | null;
  size: number | null;
  partSize: number;
  /** Tree hash of the whole archive when known before the upload. */
  treeHash: string | null;
  /** Epoch ms. Ignored on input (the cache's clock sets it). */
  startedAt: number;
  /** The process running the upload (set by the cache); null for intents recorded before owners. */
  owner: Owner | null;
  /** Parts confirmed uploaded, ordered by start. */
  parts: UploadPart[];
}

export type NewUploadIntent = Omit<UploadIntent, "startedAt" | "parts" | "owner">;

/** docs/cache.md#max-age: "last_seen means last_seen_upstream if set, otherwise created_here." */
export function lastSeen(archive: CachedArchive): number | null {
  return archive.lastSeenUpstream ?? archive.createdHere;
}

/** docs/cache.md#max-age: too old if missing, or max-age is 0, or earlier than now - max_age. */
export function seenTooLongAgo(archive: CachedArchive | undefined, nowMs: number, maxAgeHours: number): boolean {
  const seen = archive === undefined ? null : lastSeen(archive);
  return seen === null || maxAgeHours === 0 || seen < nowMs - maxAgeHours * 3_600_000;
}
