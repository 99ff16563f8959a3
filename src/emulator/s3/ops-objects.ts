// Object operations: PutObject, GetObject (ranges), HeadObject, DeleteObject, DeleteObjects.
import { rename } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { type EmulatorEnv } from "../env.ts";
import { UnsatisfiableRange, parseRange } from "../ranges.ts";
import { checksumHeaders } from "./checksums.ts";
import { type S3Handler, objectPath, quoteEtag, readSmallBody, s3Body, s3Empty, s3Of, xmlResponse } from "./context.ts";
import { S3Error } from "./errors.ts";
import { objectHeaders, storedHeaders } from "./headers.ts";
import { type ObjectRecord, type S3State, checkKey, getBucket, getObject, parseStorageClass } from "./model.ts";
import { receiveBody } from "./receive.ts";
import { readable } from "./restore.ts";
import { childNamed, childText, childrenNamed, parseXml } from "./xml.ts";
import { defined } from "../../core/errors.ts";

const readS3 = (state: object) => (state as { s3?: S3State }).s3;
export const newFileName = () => randomBytes(12).toString("hex");

/** Records an object (replacing any of that key); the replaced one's file is removed afterwards. */
export async function storeObject(
  env: EmulatorEnv,
  bucket: string,
  record: Omit<ObjectRecord, "lastModified">,
): Promise<ObjectRecord> {
  const [stored, replaced] = await env.transactAll((state, now) => {
    const objects = getBucket(s3Of(state), bucket).objects;
    const previous = Object.hasOwn(objects, record.key)
      ? defined(objects[record.key], "objects[record.key]").file
      : undefined;
    const value: ObjectRecord = { ...record, lastModified: now };
    objects[record.key] = value;
    return [value, previous] as const;
  });
  if (replaced !== undefined) await env.store.remove(objectPath(env, replaced));
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
    const received = await receiveBody(req, ctx.payload, tmp, { algorithm: "CRC64NVME" });
    await rename(tmp, objectPath(env, file));
    const checksum = { ...defined(received.checksum, "received.checksum"), type: "FULL_OBJECT" as const };
    const etag = received.md5.toString("hex");
    await storeObject(env, ctx.bucket, {
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
    return s3Empty(200, { ETag: quoteEtag(etag), ...checksumHeaders(checksum) });
  } finally {
    await env.store.remove(tmp);
  }
};

/** The object of a GET/HEAD, with the checks S3 applies before sending anything. */
async function lookup(ctx: Parameters<S3Handler>[0]): Promise<{ object: ObjectRecord; now: number }> {
  return ctx.env.readAll((state, now) => ({
    object: { ...getObject(getBucket(readS3(state), ctx.bucket), ctx.key) },
    now,
  }));
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

export const HeadObject: S3Handler = async (ctx) => {
  const { object, now } = await lookup(ctx);
  checkConditions(ctx, object);
  const headers = objectHeaders(object, now, ctx.req.headers["x-amz-checksum-mode"] === "ENABLED");
  return s3Empty(200, { ...headers, "Content-Length": String(object.size) });
};

export const GetObject: S3Handler = async (ctx) => {
  const { object, now } = await lookup(ctx);
  checkConditions(ctx, object);
  if (!readable(object, now)) {
    throw new S3Error("InvalidObjectState", "The operation is not valid for the object's storage class", {
      StorageClass: object.storageClass,
    });
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
  const headers = objectHeaders(object, now, ctx.req.headers["x-amz-checksum-mode"] === "ENABLED" && !range.partial);
  const length = range.end - range.start + 1;
  if (range.partial) headers["Content-Range"] = `bytes ${range.start}-${range.end}/${object.size}`;
  return s3Body(
    range.partial ? 206 : 200,
    { path: objectPath(ctx.env, object.file), start: range.start, length: Math.max(0, length) },
    headers,
  );
};

/** Removes keys from a bucket; returns the files to delete once the state is saved. */
async function removeKeys(env: EmulatorEnv, bucket: string, keys: readonly string[]): Promise<void> {
  const files = await env.transactAll((state) => {
    const objects = getBucket(s3Of(state), bucket).objects;
    const out: string[] = [];
    for (const key of keys) {
      if (!Object.hasOwn(objects, key)) continue;
      out.push(defined(objects[key], "objects[key]").file);
      delete objects[key];
    }
    return out;
  });
  await env.store.remove(...files.map((f) => objectPath(env, f)));
}

export const DeleteObject: S3Handler = async (ctx) => {
  await removeKeys(ctx.env, ctx.bucket, [ctx.key]);
  return s3Empty(204);
};

export const DeleteObjects: S3Handler = async (ctx) => {
  const root = parseXml(await readSmallBody(ctx));
  const objects = childrenNamed(root, "Object");
  if (root.name !== "Delete" || objects.length === 0 || objects.length > 1000) {
    throw new S3Error(
      "MalformedXML",
      "The XML you provided was not well-formed or did not validate against our published schema",
    );
  }
  const keys = objects.map((o) => childNamed(o, "Key")?.text ?? "");
  await removeKeys(
    ctx.env,
    ctx.bucket,
    keys.filter((k) => k !== ""),
  );
  const quiet = childText(root, "Quiet") === "true";
  return xmlResponse(200, "DeleteResult", {
    Deleted: quiet ? undefined : keys.filter((k) => k !== "").map((Key) => ({ Key })),
    Error: keys.some((k) => k === "")
      ? [{ Key: "", Code: "UserKeyMustBeSpecified", Message: "The key must not be empty" }]
      : undefined,
  });
};
