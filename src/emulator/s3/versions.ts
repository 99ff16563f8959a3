// Bucket versioning on the pure model (https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html).
// A bucket's current objects stay in `objects` (what listings, GET and HEAD without a version id
// see); older versions and delete markers live in `versions[key]`, newest first. A key whose newest
// version is a delete marker has no entry in `objects`. Objects stored before versioning was turned
// on, or while it is suspended, are the "null" version (no versionId recorded).
// Every function returns the data files that are no longer referenced, for the caller to remove.
import { randomBytes } from "node:crypto";
import { S3Error } from "./errors.ts";
import type { BucketRecord, DeleteMarkerRecord, ObjectRecord, VersionEntry } from "./model.ts";

export const NULL_VERSION = "null";

/** 32 URL-safe characters, as S3's version ids look. */
export const newVersionId = () => randomBytes(24).toString("base64url");

export const versionIdOf = (entry: VersionEntry): string => entry.versionId ?? NULL_VERSION;
export const isDeleteMarker = (entry: VersionEntry): entry is DeleteMarkerRecord =>
  "deleteMarker" in entry && entry.deleteMarker;

const own = <T>(map: Record<string, T>, key: string): T | undefined => (Object.hasOwn(map, key) ? map[key] : undefined);
const filesOf = (entries: readonly VersionEntry[]) =>
  entries.filter((e): e is ObjectRecord => !isDeleteMarker(e)).map((e) => e.file);

function history(bucket: BucketRecord, key: string): VersionEntry[] {
  const versions = (bucket.versions ??= {});
  return (versions[key] ??= []);
}

function tidy(bucket: BucketRecord, key: string): void {
  if (bucket.versions && own(bucket.versions, key)?.length === 0) Reflect.deleteProperty(bucket.versions, key);
}

/**
 * Makes `entry` the newest version of its key (an object, or a delete marker). Enabled: the current
 * one becomes an older version. Suspended: the new entry is the null version and replaces any null
 * version. Never enabled: the current object is replaced.
 */
function pushNewest(bucket: BucketRecord, entry: VersionEntry): string[] {
  const key = entry.key;
  const current = own(bucket.objects, key);
  const removed: string[] = [];
  Reflect.deleteProperty(bucket.objects, key);
  if (bucket.versioning === undefined) {
    if (current) removed.push(current.file);
  } else {
    const older = history(bucket, key);
    if (current) older.unshift(current);
    if (bucket.versioning === "Suspended") {
      const nulls = older.filter((e) => versionIdOf(e) === NULL_VERSION);
      removed.push(...filesOf(nulls));
      older.splice(0, older.length, ...older.filter((e) => versionIdOf(e) !== NULL_VERSION));
    }
  }
  if (isDeleteMarker(entry)) history(bucket, key).unshift(entry);
  else bucket.objects[key] = entry;
  tidy(bucket, key);
  return removed;
}

/** The version id a new object or delete marker gets in this bucket (undefined: unversioned). */
export function nextVersionId(bucket: BucketRecord): string | undefined {
  if (bucket.versioning === undefined) return undefined;
  return bucket.versioning === "Enabled" ? newVersionId() : NULL_VERSION;
}

/** Stores a new object as its key's newest version. */
export function putObjectVersion(bucket: BucketRecord, object: ObjectRecord): string[] {
  return pushNewest(bucket, object);
}

/**
 * DeleteObject without a version id: removes the object (unversioned bucket), or puts a delete
 * marker on top (versioned). Returns the marker, if one was made.
 */
export function deleteCurrent(
  bucket: BucketRecord,
  key: string,
  now: number,
): { marker?: DeleteMarkerRecord; removed: string[] } {
  const versionId = nextVersionId(bucket);
  if (versionId === undefined) {
    const current = own(bucket.objects, key);
    Reflect.deleteProperty(bucket.objects, key);
    return { removed: current ? [current.file] : [] };
  }
  const marker: DeleteMarkerRecord = {
    key,
    deleteMarker: true,
    lastModified: now,
    ...(versionId === NULL_VERSION ? {} : { versionId }),
  };
  return { marker, removed: pushNewest(bucket, marker) };
}

/** Every version of a key, newest first (the current object, if any, before the older ones). */
export function versionsOf(bucket: BucketRecord, key: string): VersionEntry[] {
  const current = own(bucket.objects, key);
  return [...(current ? [current] : []), ...(bucket.versions ? (own(bucket.versions, key) ?? []) : [])];
}

export function findVersion(bucket: BucketRecord, key: string, versionId: string): VersionEntry | undefined {
  return versionsOf(bucket, key).find((e) => versionIdOf(e) === versionId);
}

/** The newest entry of a key when it is a delete marker (GET and HEAD then say so). */
export function latestDeleteMarker(bucket: BucketRecord, key: string): DeleteMarkerRecord | undefined {
  const newest = versionsOf(bucket, key)[0];
  return newest && isDeleteMarker(newest) ? newest : undefined;
}

/**
 * DeleteObject with a version id: that version is gone for good. When it was the newest, the next
 * one becomes current (an object is readable again once the delete marker on top of it goes).
 */
export function deleteVersion(
  bucket: BucketRecord,
  key: string,
  versionId: string,
): { deleted?: VersionEntry; removed: string[] } {
  checkVersionId(versionId);
  const all = versionsOf(bucket, key);
  const index = all.findIndex((e) => versionIdOf(e) === versionId);
  if (index < 0) return { removed: [] };
  const [deleted] = all.splice(index, 1);
  Reflect.deleteProperty(bucket.objects, key);
  const newest = all[0];
  if (newest && !isDeleteMarker(newest)) {
    bucket.objects[key] = newest;
    all.shift();
  }
  if (bucket.versions) bucket.versions[key] = all;
  tidy(bucket, key);
  return { deleted, removed: deleted && !isDeleteMarker(deleted) ? [deleted.file] : [] };
}

/** S3 answers 400 to a version id it could not have issued. */
export function checkVersionId(versionId: string): void {
  if (versionId !== NULL_VERSION && !/^[A-Za-z0-9._-]{1,1024}$/.test(versionId))
    throw new S3Error("InvalidArgument", "Invalid version id specified", {
      ArgumentName: "versionId",
      ArgumentValue: versionId,
    });
}

/** Whether the bucket holds anything at all: current objects, older versions or delete markers. */
export function bucketHoldsVersions(bucket: BucketRecord): boolean {
  return Object.keys(bucket.objects).length > 0 || Object.keys(bucket.versions ?? {}).length > 0;
}
