// How the S3 plugin names what the port's callers hold on to (docs/backends.md#s3-mapping):
// a multipart upload id carries the part size and the archive name (S3's UploadPart needs the key
// and the part number, the port's caller gives the upload id and the part's offset), so that an
// upload journalled by one run is resumed by the next with nothing else remembered.
import { ConsoleError } from "../../core/errors.ts";
import { ENCODED_NAME_MARKER, descriptionForName } from "../../core/names.ts";

/** User metadata of every object the tool writes (x-amz-meta-sha256-tree-hash, x-amz-meta-size). */
export const TREE_HASH_META = "sha256-tree-hash";
export const SIZE_META = "size";
/** The Glacier archive an object was copied from (x-amz-meta-glacier-archive-id, `vault migrate`). */
export const SOURCE_ARCHIVE_META = "glacier-archive-id";
/** Also read: the name other tools use for the same fact. */
export const OTHER_TREE_HASH_META = "tree-hash";

const MARK = "s3mpu1";

export function composeUploadId(partSize: number, name: string, s3UploadId: string): string {
  return `${MARK}:${partSize}:${Buffer.from(name, "utf8").toString("base64url")}:${s3UploadId}`;
}

export function parseUploadId(uploadId: string): { partSize: number; name: string; s3UploadId: string } {
  const [, size, name, s3UploadId] = /^s3mpu1:(\d+):([A-Za-z0-9_-]+):(.+)$/s.exec(uploadId) ?? [];
  if (size === undefined || name === undefined || s3UploadId === undefined)
    throw new ConsoleError(`not an upload id of this tool's S3 backend: ${JSON.stringify(uploadId)}`);
  return { partSize: Number(size), name: Buffer.from(name, "base64url").toString("utf8"), s3UploadId };
}

/**
 * Whether two upload ids of this plugin name one S3 upload: a listed upload's id carries no part
 * size (ListMultipartUploads does not say it), the id initiateMultipart gave does.
 */
export function sameUpload(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const [x, y] = [parseUploadId(a), parseUploadId(b)];
    return x.name === y.name && x.s3UploadId === y.s3UploadId;
  } catch {
    return false;
  }
}

/**
 * The description the port's callers decode back to the name (core/names.ts), with no length
 * limit: a key of 1024 UTF-8 bytes needs more than Glacier's 1024 characters once encoded.
 */
export function descriptionOfName(name: string): string {
  try {
    return descriptionForName(name);
  } catch {
    return ENCODED_NAME_MARKER + Buffer.from(name, "utf8").toString("base64url");
  }
}
