// The S3 requests the plugin uses, as plain records (no SDK shapes): implemented by sdk.ts.
import type { Readable } from "node:stream";

export interface ObjectHead {
  size: number;
  lastModified: number;
  storageClass: string;
  /** User metadata, keys without the x-amz-meta- prefix. */
  metadata: Record<string, string>;
  versionId?: string;
  /** The x-amz-restore header: `ongoing-request="true"` or `ongoing-request="false", expiry-date="..."`. */
  restore?: string;
  /** With ChecksumMode: the object's SHA-256 (composite `B64-N` for N parts), or a part's when one was asked for. */
  checksumSha256?: string;
  /** x-amz-mp-parts-count: the object's parts, when a part number was asked for and it has parts. */
  partsCount?: number;
}

export interface ListedObject {
  key: string;
  size: number;
  lastModified: number;
  storageClass: string;
  restoreInProgress?: boolean;
  restoreExpiry?: number;
}

export interface ListedPart {
  partNumber: number;
  size: number;
  etag: string;
  checksumSha256?: string | undefined;
}

export interface ListedUpload {
  key: string;
  uploadId: string;
  initiated: number;
}

export interface ObjectGet {
  body: Readable;
  status: number;
  contentLength?: number;
  contentRange?: string;
  /** x-amz-checksum-sha256 of a whole object or a part (S3 sends none for a byte range). */
  checksumSha256?: string;
}

export interface Written {
  versionId?: string;
  checksumSha256?: string | undefined;
}

export interface S3Api {
  readonly endpoint: string;
  createBucket(bucket: string): Promise<void>;
  headBucket(bucket: string): Promise<void>;
  /** GetBucketVersioning: true while versioning is Enabled (never set or Suspended: false). */
  versioningEnabled(bucket: string): Promise<boolean>;
  deleteBucket(bucket: string): Promise<void>;
  putObject(input: {
    bucket: string;
    key: string;
    body: Buffer;
    sha256Base64: string;
    storageClass: string;
    metadata: Record<string, string>;
  }): Promise<Written>;
  createMultipart(input: {
    bucket: string;
    key: string;
    storageClass: string;
    metadata: Record<string, string>;
  }): Promise<string>;
  uploadPart(input: {
    bucket: string;
    key: string;
    uploadId: string;
    partNumber: number;
    body: Buffer;
    sha256Base64: string;
  }): Promise<{ checksumSha256?: string | undefined }>;
  listParts(bucket: string, key: string, uploadId: string): Promise<ListedPart[]>;
  completeMultipart(input: {
    bucket: string;
    key: string;
    uploadId: string;
    parts: readonly ListedPart[];
  }): Promise<Written>;
  abortMultipart(bucket: string, key: string, uploadId: string): Promise<void>;
  listMultipartUploads(bucket: string, prefix: string): Promise<ListedUpload[]>;
  listObjects(bucket: string, prefix: string, withRestoreStatus: boolean): Promise<ListedObject[]>;
  /** With a part number, the head of that part (its size, its checksum) and the object's part count. */
  headObject(bucket: string, key: string, versionId?: string, partNumber?: number): Promise<ObjectHead>;
  restoreObject(input: {
    bucket: string;
    key: string;
    versionId?: string;
    tier: string;
    days: number;
  }): Promise<"started" | "already-restored">;
  getObject(input: {
    bucket: string;
    key: string;
    versionId?: string;
    /** Bytes of the object, or (taking precedence) one of its parts by number, 1-based. */
    range?: { start: number; end: number };
    partNumber?: number;
    signal?: AbortSignal;
  }): Promise<ObjectGet>;
  deleteObject(bucket: string, key: string, versionId?: string): Promise<void>;
  close(): Promise<void>;
}
