// S3's records in the emulator state (state.s3): buckets with their objects' metadata, and open
// multipart uploads. Object bytes are files (DIR/s3/objects/<file>, DIR/s3/uploads/<id>/), never here.
// Buckets are global, as in S3: one name space whatever region a request is signed for.
import type { Tier } from "../../core/types.ts";
import type { Checksum } from "./checksums.ts";
import { S3Error, noSuchBucket, noSuchUpload } from "./errors.ts";

export const STORAGE_CLASSES = [
  "STANDARD",
  "REDUCED_REDUNDANCY",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER",
  "DEEP_ARCHIVE",
  "GLACIER_IR",
] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

/** Classes whose objects must be restored before they can be read. */
export const ARCHIVED: ReadonlySet<StorageClass> = new Set(["GLACIER", "DEEP_ARCHIVE"]);

export interface RestoreRecord {
  tier: Tier;
  requestedAt: number;
  completesAt: number;
  days: number;
  /** Set once requested: the restored copy goes at this time (midnight UTC after completion + days). */
  expiresAt: number;
}

/** Headers stored with an object and sent back on GET/HEAD. */
export interface StoredHeaders {
  contentType: string;
  meta: Record<string, string>;
  other: Record<string, string>;
}

export interface ObjectRecord extends StoredHeaders {
  key: string;
  /**
   * Set in a bucket with versioning Enabled; absent for the "null" version
   * (docs/emulator.md#s3-buckets-versioning-and-restore-delays).
   */
  versionId?: string;
  /** Name of the data file under DIR/s3/objects (a folder of the parts' files when `segmented`). */
  file: string;
  /** A completed multipart upload: `file` is a folder of files 00001... of the sizes in `parts`. */
  segmented?: true;
  size: number;
  etag: string;
  lastModified: number;
  storageClass: StorageClass;
  checksum?: Checksum;
  /** Part sizes of a multipart object (GetObject/HeadObject ?partNumber, PartsCount). */
  parts?: number[];
  /** Each part's checksum (base64, the upload's algorithm) of a COMPOSITE multipart object (?partNumber). */
  partChecksums?: string[];
  restore?: RestoreRecord;
}

/** A delete marker: the newest version of a key deleted in a versioned bucket. */
export interface DeleteMarkerRecord {
  key: string;
  deleteMarker: true;
  versionId?: string;
  lastModified: number;
}

export type VersionEntry = ObjectRecord | DeleteMarkerRecord;

export interface BucketRecord {
  name: string;
  region: string;
  creationDate: number;
  /** The current version of each key that has one (what listings, GET and HEAD see). */
  objects: Record<string, ObjectRecord>;
  /** Absent until PutBucketVersioning; then Enabled or Suspended, never unversioned again. */
  versioning?: "Enabled" | "Suspended";
  /** Older versions and delete markers per key, newest first (src/emulator/s3/versions.ts). */
  versions?: Record<string, VersionEntry[]>;
}

export interface S3UploadRecord extends StoredHeaders {
  id: string;
  bucket: string;
  key: string;
  initiated: number;
  storageClass: StorageClass;
  checksumAlgorithm?: Checksum["algorithm"];
  checksumType?: Checksum["type"];
}

export interface S3State {
  buckets: Record<string, BucketRecord>;
  uploads: Record<string, S3UploadRecord>;
}

const own = <T>(map: Record<string, T>, key: string): T | undefined => (Object.hasOwn(map, key) ? map[key] : undefined);

export function getBucket(s3: S3State | undefined, name: string): BucketRecord {
  const bucket = s3 ? own(s3.buckets, name) : undefined;
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

export function getUpload(s3: S3State | undefined, bucket: string, key: string, id: string): S3UploadRecord {
  const upload = s3 ? own(s3.uploads, id) : undefined;
  if (!upload || upload.bucket !== bucket || upload.key !== key) throw noSuchUpload(id);
  return upload;
}

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
export function checkBucketName(name: string): void {
  const ok =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !/\.\.|^\d+\.\d+\.\d+\.\d+$|^xn--|-s3alias$|--ol-s3$/.test(name);
  if (!ok) throw new S3Error("InvalidBucketName", "The specified bucket is not valid.", { BucketName: name });
}

export function checkKey(key: string): void {
  if (key === "") throw new S3Error("InvalidArgument", "An object key must not be empty");
  if (Buffer.byteLength(key) > 1024) throw new S3Error("KeyTooLongError", "Your key is too long");
}

export function parseStorageClass(raw: string | undefined): StorageClass {
  if (raw === undefined || raw === "") return "STANDARD";
  if (!(STORAGE_CLASSES as readonly string[]).includes(raw))
    throw new S3Error("InvalidStorageClass", "The storage class you specified is not valid", {
      StorageClassRequested: raw,
    });
  return raw as StorageClass;
}
