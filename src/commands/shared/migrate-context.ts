// What the parts of a committed migration share (docs/migrate.md#committing): its options, the port
// and cache of the run, the tally of what it did, and the copy it applies.
import type { ArchiveCache } from "../../cache/archive-cache.ts";
import { GlacierCliError } from "../../core/errors.ts";
import type { StepItem } from "../../core/migrate-step.ts";
import type { Shard } from "../../core/shard.ts";
import type { Tier } from "../../core/types.ts";
import type { BackendPort } from "../../backend/port.ts";
import type { copyArchive } from "../../glacier/migrate-copy.ts";

export interface CommitOptions {
  vault: string;
  /** The target as the port takes it: "s3://BUCKET" or "s3://BUCKET/PREFIX". */
  address: string;
  bucket: string;
  /** "" or a folder ending in "/". */
  prefix: string;
  tier: Tier;
  maxJobs: number;
  maxBytesPerDay?: number;
  shard?: Shard;
  deleteSource: boolean;
  /** Parts in flight at once over all copies. */
  concurrency: number;
  /** Local report path without its .jsonl/.csv ending. */
  report: string;
  /** Early-deletion fees of deleting these archives now (the plan's prices). */
  earlyDeletion: (archiveIds: readonly string[]) => { archives: number; fee: number };
}

/** The streamed, verified copy of one archive (src/glacier/migrate-copy.ts). */
export type MigrateCopy = typeof copyArchive;

export interface RunTally {
  copied: number;
  adopted: number;
  deleted: number;
  /** Archives whose copy or delete failed in this run: not tried again before the next run. */
  failed: Set<string>;
}

export interface RunContext {
  port: BackendPort;
  cache: ArchiveCache;
  options: CommitOptions;
  /** This shard's archives at their targets. */
  items: readonly StepItem[];
  tally: RunTally;
  copy: MigrateCopy;
}

/** A failure of one archive: its message, so the others go on; anything else is a bug and stops the run. */
export function archiveFailure(error: unknown): string {
  if (error instanceof GlacierCliError) return error.message;
  throw error;
}
