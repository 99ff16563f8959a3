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
  checksumSha256?: string;
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
  headObject(bucket: string, key: string, versionId?: string): Promise<ObjectHead>;
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
    range?: { start: number; end: number };
    signal?: AbortSignal;
  }): Promise<ObjectGet>;
  deleteObject(bucket: string, key: string, versionId?: string): Promise<void>;
  close(): Promise<void>;
}
