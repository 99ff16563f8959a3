// The migration ledger (docs/migrate.md#the-ledger, docs/cache.md): one row per archive of a vault being
// moved to S3, with the state it has reached, so a rerun continues where a killed one stopped. A change
// is resolved under the writer lock into the row's absolute new values (journal record `migration`),
// so replaying a record converges on the same row (docs/cache.md#journal).
import { CacheError } from "../core/errors.ts";
import type { SqlValue } from "./sqlite.ts";

/** In order; a job whose output expired goes back from `retrieved` to `requested`. */
export const MIGRATION_STATES = ["planned", "requested", "retrieved", "uploading", "verified", "deleted"] as const;
export type MigrationState = (typeof MIGRATION_STATES)[number];

/** One archive's progress as the cache API gives it (times in epoch ms). */
export interface MigrationEntry {
  vault: string;
  archiveId: string;
  bucket: string;
  targetKey: string;
  state: MigrationState;
  /** The retrieval job, from `requested` on. */
  jobId: string | null;
  /** The S3 multipart upload, from `uploading` on. */
  uploadId: string | null;
  /** The archive's SHA-256 tree hash (inventory's, then checked while streaming). */
  treeHash: string | null;
  /** The S3 checksum of the completed object, as S3 reports it. */
  s3Checksum: string | null;
  size: number | null;
  /** When each state was last entered. */
  times: Partial<Record<MigrationState, number>>;
}

/** A change to one archive's row; fields left out keep their value. */
export interface MigrationUpdate {
  archiveId: string;
  state: MigrationState;
  bucket?: string;
  targetKey?: string;
  jobId?: string | null;
  uploadId?: string | null;
  treeHash?: string | null;
  s3Checksum?: string | null;
  size?: number | null;
}

/** The row as stored: times in unix seconds, as in the other tables. */
export interface MigrationRow extends Omit<MigrationEntry, "times"> {
  /** The namespace (docs/cache.md#namespaces). */
  key: string;
  /** Seconds per state, in MIGRATION_STATES order; null when never entered. */
  times: (number | null)[];
}

export const MIGRATION_DDL = `CREATE TABLE migration (key VARCHAR NOT NULL, vault VARCHAR NOT NULL,
  archive_id VARCHAR NOT NULL, bucket VARCHAR NOT NULL, target_key VARCHAR NOT NULL, state VARCHAR NOT NULL,
  job_id VARCHAR, upload_id VARCHAR, tree_hash VARCHAR, s3_checksum VARCHAR, size INTEGER,
  planned REAL, requested REAL, retrieved REAL, uploading REAL, verified REAL, deleted REAL,
  PRIMARY KEY (key, vault, archive_id))`;

const COLUMNS = [
  "key, vault, archive_id, bucket, target_key, state, job_id, upload_id, tree_hash, s3_checksum, size",
  ...MIGRATION_STATES,
].join(", ");
export const SELECT_MIGRATION = `SELECT ${COLUMNS} FROM migration`;
export const PUT_MIGRATION = `INSERT OR REPLACE INTO migration (${COLUMNS}) VALUES (${Array<string>(
  11 + MIGRATION_STATES.length,
)
  .fill("?")
  .join(",")})`;

export function migrationValues(r: MigrationRow): SqlValue[] {
  return [
    r.key,
    r.vault,
    r.archiveId,
    r.bucket,
    r.targetKey,
    r.state,
    r.jobId,
    r.uploadId,
    r.treeHash,
    r.s3Checksum,
    r.size,
    ...r.times,
  ];
}

export function migrationFrom(v: SqlValue[]): MigrationRow {
  const str = (x: SqlValue | undefined) => (x === null || x === undefined ? null : String(x));
  const num = (x: SqlValue | undefined) => (x === null || x === undefined ? null : Number(x));
  return {
    key: String(v[0]),
    vault: String(v[1]),
    archiveId: String(v[2]),
    bucket: String(v[3]),
    targetKey: String(v[4]),
    state: String(v[5]) as MigrationState,
    jobId: str(v[6]),
    uploadId: str(v[7]),
    treeHash: str(v[8]),
    s3Checksum: str(v[9]),
    size: num(v[10]),
    times: MIGRATION_STATES.map((_, i) => num(v[11 + i])),
  };
}

export function toMigrationEntry(r: MigrationRow): MigrationEntry {
  const times: MigrationEntry["times"] = {};
  MIGRATION_STATES.forEach((state, i) => {
    const t = r.times[i];
    if (t !== null && t !== undefined) times[state] = Math.round(t * 1000);
  });
  return {
    vault: r.vault,
    archiveId: r.archiveId,
    bucket: r.bucket,
    targetKey: r.targetKey,
    state: r.state,
    jobId: r.jobId,
    uploadId: r.uploadId,
    treeHash: r.treeHash,
    s3Checksum: r.s3Checksum,
    size: r.size,
    times,
  };
}

/**
 * The row after `update`, or a CacheError for a change that would lose track of a copy: a verified
 * object only goes on to `deleted` (its source archive deleted), a deleted one nowhere, and an archive
 * being uploaded keeps its target until the upload is done.
 */
export function nextMigrationRow(
  current: MigrationRow | undefined,
  update: MigrationUpdate,
  where: { key: string; vault: string; nowSeconds: number },
): MigrationRow {
  const refuse = (why: string): never => {
    throw new CacheError(`migration ledger of vault '${where.vault}', archive ${update.archiveId}: ${why}`);
  };
  if (current?.state === "deleted" && update.state !== "deleted") refuse("its source was already deleted");
  if (current?.state === "verified" && update.state !== "verified" && update.state !== "deleted")
    refuse(`its object is verified; it cannot go back to ${update.state}`);
  const bucket = update.bucket ?? current?.bucket ?? refuse("a new entry needs its bucket");
  const targetKey = update.targetKey ?? current?.targetKey ?? refuse("a new entry needs its target key");
  if (current?.state === "uploading" && (bucket !== current.bucket || targetKey !== current.targetKey))
    refuse("its target cannot change while it is being uploaded");
  const times = current ? [...current.times] : MIGRATION_STATES.map(() => null);
  times[MIGRATION_STATES.indexOf(update.state)] = where.nowSeconds;
  const keep = <K extends keyof MigrationUpdate & keyof MigrationRow>(field: K) =>
    (update[field] !== undefined ? update[field] : (current?.[field] ?? null)) as MigrationRow[K];
  return {
    key: where.key,
    vault: where.vault,
    archiveId: update.archiveId,
    bucket,
    targetKey,
    state: update.state,
    jobId: keep("jobId"),
    uploadId: keep("uploadId"),
    treeHash: keep("treeHash"),
    s3Checksum: keep("s3Checksum"),
    size: keep("size"),
    times,
  };
}
