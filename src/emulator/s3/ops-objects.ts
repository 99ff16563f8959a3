// Object operations: PutObject, GetObject (ranges), HeadObject, each of a version with ?versionId=
// (deletes are in ops-delete.ts).
import { rename } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { type EmulatorEnv } from "../env.ts";
import { UnsatisfiableRange, parseRange } from "../ranges.ts";
import { checksumHeaders } from "./checksums.ts";
import { type S3Handler, objectPath, quoteEtag, s3Body, s3Empty, s3Of } from "./context.ts";
import { defined } from "../../core/errors.ts";
import { S3Error, noSuchKey } from "./errors.ts";
import { objectHeaders, storedHeaders } from "./headers.ts";
import {
  type BucketRecord,
  type ObjectRecord,
  type S3State,
  type VersionEntry,
  checkKey,
  getBucket,
  parseStorageClass,
} from "./model.ts";
import { receiveBody } from "./receive.ts";
import { requestedPart } from "./object-parts.ts";
import { readable } from "./restore.ts";
import {
  NULL_VERSION,
  checkVersionId,
  findVersion,
  isDeleteMarker,
  latestDeleteMarker,
  nextVersionId,
  putObjectVersion,
  versionIdOf,
} from "./versions.ts";

const readS3 = (state: object) => (state as { s3?: S3State }).s3;
export const newFileName = () => randomBytes(12).toString("hex");

/** x-amz-version-id of an entry, in a bucket that has ever had versioning turned on. */
export const versionHeader = (bucket: BucketRecord, entry: VersionEntry): Record<string, string> =>
  bucket.versioning === undefined ? {} : { "x-amz-version-id": versionIdOf(entry) };

/**
 * Records an object as its key's newest version (replacing the current one in an unversioned
 * bucket, whose file is removed afterwards); returns it with its x-amz-version-id header.
 */
export async function storeObject(
  env: EmulatorEnv,
  bucket: string,
  record: Omit<ObjectRecord, "lastModified" | "versionId">,
): Promise<{ object: ObjectRecord; headers: Record<string, string> }> {
  const [stored, removed] = await env.transactAll((state, now) => {
    const target = getBucket(s3Of(state), bucket);
    const versionId = nextVersionId(target);
    const value: ObjectRecord = {
      ...record,
      lastModified: now,
      ...(versionId === undefined || versionId === NULL_VERSION ? {} : { versionId }),
    };
    const removed = putObjectVersion(target, value);
    return [{ object: value, headers: versionHeader(target, value) }, removed] as const;
  });
  await env.store.remove(...removed.map((f) => objectPath(env, f)));
  return stored;
}

export const PutObject: S3Handler = async (ctx) => {
  const { env, req } = ctx;
  checkKey(ctx.key);
  if (req.headers["x-amz-copy-source"] !== undefined)
    throw new S3Error("NotImplemented", "CopyObject is not implemented by the emulator");
  const storageClass = parseStorageClass(req.headers["x-amz-storage-class"]);
  const headers = storedHeaders(req);
  await env.readAll((state) => getBucket(readS3(state), ctx.bucket));
  const file = newFileName();
  const tmp = env.store.tmpPath("s3-object");
  try {
    const received = await receiveBody(req, ctx.payload, tmp, { algorithm: "CRC64NVME", hashing: ctx.hashing });
    await rename(tmp, objectPath(env, file));
    const checksum = { ...defined(received.checksum, "received.checksum"), type: "FULL_OBJECT" as const };
    const etag = received.md5.toString("hex");
    const { headers: version } = await storeObject(env, ctx.bucket, {
      key: ctx.key,
      file,
      size: received.size,
      etag,
      storageClass,
      checksum,
      ...headers,
    }).catch(async (error: unknown) => {
      await env.store.remove(objectPath(env, file));
      throw error;
    });
    return s3Empty(200, { ETag: quoteEtag(etag), ...checksumHeaders(checksum), ...version });
  } finally {
    await env.store.remove(tmp);
  }
};

/** The object (or the version `?versionId=` names) of a GET/HEAD, with its x-amz-version-id header. */
async function lookup(
  ctx: Parameters<S3Handler>[0],
): Promise<{ object: ObjectRecord; now: number; version: Record<string, string> }> {
  return ctx.env.readAll((state, now) => {
    const bucket = getBucket(readS3(state), ctx.bucket);
    const object = versionedObject(bucket, ctx.key, ctx.query.get("versionId"));
    return { object: { ...object }, now, version: versionHeader(bucket, object) };
  });
}

function checkConditions(ctx: Parameters<S3Handler>[0], object: ObjectRecord): void {
  const h = ctx.req.headers;
  const etag = quoteEtag(object.etag);
  const matches = (list: string) =>
    list
      .split(",")
      .map((e) => e.trim())
      .some((e) => e === "*" || e === etag || e === object.etag);
  if (h["if-match"] !== undefined && !matches(h["if-match"]))
    throw new S3Error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", {}, 412);
  if (h["if-none-match"] !== undefined && matches(h["if-none-match"]))
    throw new S3Error("NotModified", "Not Modified", {}, 304);
}

const checksumMode = (ctx: Parameters<S3Handler>[0]) => ctx.req.headers["x-amz-checksum-mode"] === "ENABLED";

export const HeadObject: S3Handler = async (ctx) => {
  const { object, now, version } = await lookup(ctx);
  checkConditions(ctx, object);
  const part = requestedPart(ctx.req, ctx.query, object, checksumMode(ctx));
  if (part) {
    const headers = { ...objectHeaders(object, now, false), ...part.headers, ...version };
    return s3Empty(part.status, { ...headers, "Content-Length": String(part.end - part.start + 1) });
  }
  const headers = objectHeaders(object, now, checksumMode(ctx));
  return s3Empty(200, { ...headers, ...version, "Content-Length": String(object.size) });
};

export const GetObject: S3Handler = async (ctx) => {
  const { object, now, version } = await lookup(ctx);
  checkConditions(ctx, object);
  if (!readable(object, now)) {
    throw new S3Error("InvalidObjectState", "The operation is not valid for the object's storage class", {
      StorageClass: object.storageClass,
    });
  }
  const part = requestedPart(ctx.req, ctx.query, object, checksumMode(ctx));
  if (part) {
    const headers = { ...objectHeaders(object, now, false), ...part.headers, ...version };
    return s3Body(part.status, slice(ctx, object, part.start, part.end - part.start + 1), headers);
  }
  let range = { start: 0, end: object.size - 1, partial: false };
  const header = ctx.req.headers["range"];
  if (header !== undefined) {
    try {
      range = parseRange(header, object.size);
    } catch (error) {
      // S3 ignores a Range it cannot parse and answers 416 to one it cannot satisfy.
      if (error instanceof UnsatisfiableRange) {
        throw new S3Error("InvalidRange", "The requested range is not satisfiable", {
          RangeRequested: header,
          ActualObjectSize: String(object.size),
        });
      }
    }
  }
  // A ranged read gets no object checksum (it would not be the checksum of the bytes sent).
  const headers = {
    ...objectHeaders(object, now, checksumMode(ctx) && !range.partial),
    ...version,
  };
  const length = range.end - range.start + 1;
  if (range.partial) headers["Content-Range"] = `bytes ${range.start}-${range.end}/${object.size}`;
  return s3Body(range.partial ? 206 : 200, slice(ctx, object, range.start, Math.max(0, length)), headers);
};

/** Bytes of an object's file, or of its segments' files (a completed multipart upload). */
function slice(ctx: Parameters<S3Handler>[0], object: ObjectRecord, start: number, length: number) {
  return {
    path: objectPath(ctx.env, object.file),
    start,
    length,
    ...(object.segmented && object.parts ? { segments: object.parts } : {}),
  };
}

/** The object a request names: the current one, or `versionId`'s; S3's errors for delete markers. */
export function versionedObject(bucket: BucketRecord, key: string, versionId: string | null): ObjectRecord {
  if (versionId === null) {
    const current = Object.hasOwn(bucket.objects, key) ? bucket.objects[key] : undefined;
    if (current) return current;
    const marker = latestDeleteMarker(bucket, key);
    const error = noSuchKey(key);
    if (marker) error.headers = { "x-amz-delete-marker": "true", "x-amz-version-id": versionIdOf(marker) };
    throw error;
  }
  checkVersionId(versionId);
  const entry = findVersion(bucket, key, versionId);
  if (!entry)
    throw new S3Error("NoSuchVersion", "The specified version does not exist.", { Key: key, VersionId: versionId });
  if (isDeleteMarker(entry)) {
    const error = new S3Error("MethodNotAllowed", "The specified method is not allowed against this resource.", {
      Method: "GET",
      ResourceType: "DeleteMarker",
    });
    error.headers = { "x-amz-delete-marker": "true", "x-amz-version-id": versionId };
    throw error;
  }
  return entry;
}
