// S3 addresses, object keys and archive ids (docs/backends.md#s3-mapping). Pure.
// `s3://BUCKET[/PREFIX]` names a set of objects: an archive NAME is the object `PREFIX/NAME`.
// An archive's id must stay unique per stored version (reconcile keeps replaced versions,
// docs/retention.md): NAME?versionId=V when the bucket returns a version id, else
// NAME?treeHash=H: an unversioned bucket keeps one object per key, and an id naming the content
// lets a delete of a replaced version leave its replacement alone.
import { ConsoleError } from "./errors.ts";

export const S3_SCHEME = "s3://";
/** S3 refuses longer keys (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html). */
export const MAX_KEY_BYTES = 1024;
const VERSION_MARK = "?versionId=";
const SUFFIX = /\?(versionId|treeHash)=([^?]*)$/;

export interface S3Address {
  bucket: string;
  /** "" or ending in "/". */
  prefix: string;
}

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (general purpose buckets).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isS3Address(text: string): boolean {
  return text.startsWith(S3_SCHEME);
}

/** Why an s3:// address is invalid (one line), or undefined. */
export function s3AddressProblem(text: string): string | undefined {
  const rest = text.slice(S3_SCHEME.length);
  const bucket = rest.split("/", 1)[0] ?? "";
  if (!BUCKET.test(bucket) || bucket.includes(".."))
    return `invalid S3 address ${JSON.stringify(text)}: expected s3://BUCKET[/PREFIX] with a bucket name of 3 to 63 characters of a-z, 0-9, '.' and '-'`;
  if (Buffer.byteLength(rest.slice(bucket.length + 1)) >= MAX_KEY_BYTES)
    return (
      `invalid S3 address ${JSON.stringify(text)}: ` +
      `the prefix leaves no room for a key of at most ${MAX_KEY_BYTES} bytes`
    );
  return undefined;
}

export function parseS3Address(text: string): S3Address {
  const problem = s3AddressProblem(text);
  if (problem !== undefined) throw new ConsoleError(problem);
  const rest = text.slice(S3_SCHEME.length);
  const slash = rest.indexOf("/");
  if (slash < 0) return { bucket: rest, prefix: "" };
  const path = rest.slice(slash + 1).replace(/^\/+/, "");
  return { bucket: rest.slice(0, slash), prefix: path === "" || path.endsWith("/") ? path : `${path}/` };
}

/** The object key of an archive name; ConsoleError when S3 could not store it. */
export function keyForName(address: S3Address, name: string): string {
  if (name === "") throw new ConsoleError("an S3 archive needs a non-empty name (its object key)");
  const key = address.prefix + name;
  const bytes = Buffer.byteLength(key);
  if (bytes > MAX_KEY_BYTES)
    throw new ConsoleError(
      `archive name is too long: an S3 key holds at most ${MAX_KEY_BYTES} bytes, this one needs ${bytes}`,
    );
  return key;
}

export interface ObjectRef {
  name: string;
  versionId?: string;
  /** The content's tree hash: identifies the stored version in a bucket without versioning. */
  treeHash?: string;
}

export function archiveIdFor(ref: ObjectRef): string {
  if (ref.versionId !== undefined && ref.versionId !== "null")
    return `${ref.name}${VERSION_MARK}${encodeURIComponent(ref.versionId)}`;
  if (ref.treeHash !== undefined) return `${ref.name}?treeHash=${ref.treeHash}`;
  // A name that itself ends like a suffix gets an empty one, so parsing gives it back whole.
  return SUFFIX.test(ref.name) ? `${ref.name}${VERSION_MARK}` : ref.name;
}

export function parseArchiveId(id: string): ObjectRef {
  const match = SUFFIX.exec(id);
  if (!match) return { name: id };
  const name = id.slice(0, match.index);
  const value = decodeURIComponent(match[2] ?? "");
  if (value === "") return { name };
  return match[1] === "treeHash" ? { name, treeHash: value } : { name, versionId: value };
}

/** Storage classes an upload may choose (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html). */
export const STORAGE_CLASSES = [
  "DEEP_ARCHIVE",
  "GLACIER",
  "GLACIER_IR",
  "STANDARD",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];
export const DEFAULT_STORAGE_CLASS: StorageClass = "DEEP_ARCHIVE";

/** Classes whose objects must be restored before a GET (the others read at once). */
export function needsRestore(storageClass: string | undefined): boolean {
  return storageClass === "GLACIER" || storageClass === "DEEP_ARCHIVE";
}

export function parseStorageClass(text: string, source: string): StorageClass {
  const found = STORAGE_CLASSES.find((c) => c === text.toUpperCase());
  if (!found)
    throw new ConsoleError(`${source}: expected one of ${STORAGE_CLASSES.join(", ")}, got ${JSON.stringify(text)}`);
  return found;
}
