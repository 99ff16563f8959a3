// The archive cache: a glacier-cli compatible SQLite file kept by sql.js, made durable by
// a journal, shared by processes through a writer lock. See README.md in this folder.
import type { Clock } from "../core/clock.ts";
import { ArchiveCache } from "./archive-cache.ts";
import { ensureDir } from "./files.ts";
import { WriterLock, type LockOptions } from "./lock.ts";
import type { CacheNamespace } from "./namespace.ts";
import { loadSqlJs } from "./sqlite.ts";
import { Store } from "./store.ts";
import { join } from "node:path";

export { ArchiveCache, type ListOptions } from "./archive-cache.ts";
export {
  lastSeen,
  seenTooLongAgo,
  type CompletedUpload,
  type NewUploadIntent,
  type SyncChange,
  type UploadIntent,
  type UploadPart,
} from "./api.ts";
export { cacheDirFromEnv, CACHE_DIR_ENV } from "./location.ts";
export { namespaceKey, type CacheNamespace } from "./namespace.ts";
export { describeOwner, ownerState, type Owner, type OwnerState } from "./owner.ts";
export { parseRef } from "./queries.ts";

export interface OpenCacheOptions {
  /** The cache folder (cacheDirFromEnv); created 0700 when missing. */
  dir: string;
  namespace: CacheNamespace;
  clock: Clock;
  /** Receives recoverable problems (a torn journal line dropped, a failed background checkpoint). */
  warn?: (message: string) => void;
  lock?: LockOptions;
  /**
   * Fold the journal into db once it exceeds this many bytes (default 4 MiB, about 8,000 uploads):
   * it bounds the replay every open pays, against a checkpoint (a rewrite of the whole file) that many writes.
   */
  checkpointBytes?: number;
}

export async function openCache(options: OpenCacheOptions): Promise<ArchiveCache> {
  const sql = await loadSqlJs();
  ensureDir(options.dir);
  const store = new Store(
    sql,
    options.dir,
    new WriterLock(join(options.dir, "lock"), options.lock),
    options.warn ?? (() => {}),
    options.checkpointBytes ?? 4 * 1024 * 1024,
  );
  await store.open();
  return new ArchiveCache(store, options.namespace, options.clock);
}
