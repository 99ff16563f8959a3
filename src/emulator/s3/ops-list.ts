// ListObjectsV2 and ListObjects (v1): keys in UTF-8 binary order, prefix, delimiter (CommonPrefixes
// count toward max-keys), pagination by continuation token (v2) or marker (v1), EncodingType=url
// (botocore always asks for it), and RestoreStatus when x-amz-optional-object-attributes asks for it.
import { OWNER, type S3Context, type S3Handler, isoDate, quoteEtag, xmlResponse } from "./context.ts";
import { S3Error } from "./errors.ts";
import { ARCHIVED, type ObjectRecord, type S3State, getBucket } from "./model.ts";
import { restoreStatus } from "./restore.ts";
import type { XmlFields } from "./xml.ts";
import { defined } from "../../core/errors.ts";

interface Listing {
  contents: ObjectRecord[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix of the page (where the next page starts after). */
  last?: { value: string; isPrefix: boolean };
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** First index whose key is greater than `after` (binary search over the sorted keys). */
function firstAfter(keys: readonly string[], after: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byteOrder(defined(keys[mid], "keys[mid]"), after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

async function list(
  ctx: S3Context,
  after: { value: string; isPrefix: boolean } | undefined,
  max: number,
): Promise<{ listing: Listing; now: number }> {
  const prefix = ctx.query.get("prefix") ?? "";
  const delimiter = ctx.query.get("delimiter") ?? "";
  return ctx.env.readAll((state, now) => {
    const bucket = getBucket((state as { s3?: S3State }).s3, ctx.bucket);
    const keys = ctx.env.store.memo(`s3-keys:${ctx.bucket}`, () => Object.keys(bucket.objects).sort(byteOrder));
    let i = Math.max(
      firstAfter(keys, prefix) - (Object.hasOwn(bucket.objects, prefix) ? 1 : 0),
      after ? firstAfter(keys, after.value) : 0,
    );
    const listing: Listing = { contents: [], prefixes: [], truncated: false };
    for (; i < keys.length; i++) {
      const key = defined(keys[i], "keys[i]");
      if (!key.startsWith(prefix)) {
        if (byteOrder(key, prefix) > 0) break;
        continue;
      }
      if (after?.isPrefix && key.startsWith(after.value)) continue;
      const cut = delimiter === "" ? -1 : key.indexOf(delimiter, prefix.length);
      const common = cut < 0 ? undefined : key.slice(0, cut + delimiter.length);
      if (common !== undefined && listing.last?.isPrefix && listing.last.value === common) continue;
      if (listing.contents.length + listing.prefixes.length >= max) {
        listing.truncated = true;
        break;
      }
      if (common !== undefined) {
        listing.prefixes.push(common);
        listing.last = { value: common, isPrefix: true };
      } else {
        listing.contents.push(defined(bucket.objects[key], "bucket.objects[key]"));
        listing.last = { value: key, isPrefix: false };
      }
    }
    return { listing, now };
  });
}

export function maxKeys(ctx: S3Context): number {
  const raw = ctx.query.get("max-keys");
  if (raw === null) return 1000;
  if (!/^\d+$/.test(raw))
    throw new S3Error("InvalidArgument", "Provided max-keys not an integer or within integer range", {
      ArgumentName: "max-keys",
      ArgumentValue: raw,
    });
  return Math.min(1000, Number(raw));
}

function entries(ctx: S3Context, listing: Listing, now: number, encode: (s: string) => string): XmlFields {
  const withRestore = (ctx.req.headers["x-amz-optional-object-attributes"] ?? "")
    .split(",")
    .map((s) => s.trim())
    .includes("RestoreStatus");
  const owner = ctx.query.get("fetch-owner") === "true" || ctx.query.get("list-type") !== "2";
  return {
    Contents: listing.contents.map((o) => {
      const status = withRestore && ARCHIVED.has(o.storageClass) ? restoreStatus(o, now) : { state: "none" as const };
      return {
        Key: encode(o.key),
        LastModified: isoDate(o.lastModified),
        ETag: quoteEtag(o.etag),
        ...(o.checksum ? { ChecksumAlgorithm: o.checksum.algorithm, ChecksumType: o.checksum.type } : {}),
        Size: o.size,
        ...(owner ? { Owner: OWNER } : {}),
        StorageClass: o.storageClass,
        ...(status.state === "none"
          ? {}
          : {
              RestoreStatus: {
                IsRestoreInProgress: status.state === "ongoing",
                ...(status.state === "restored" ? { RestoreExpiryDate: isoDate(status.record.expiresAt) } : {}),
              },
            }),
      };
    }),
    CommonPrefixes: listing.prefixes.map((p) => ({ Prefix: encode(p) })),
  };
}

export function encoder(ctx: S3Context): (s: string) => string {
  const type = ctx.query.get("encoding-type");
  if (type !== null && type !== "url")
    throw new S3Error("InvalidArgument", "Invalid Encoding Method specified in Request", {
      ArgumentName: "encoding-type",
      ArgumentValue: type,
    });
  return type === "url" ? (s) => encodeURIComponent(s).replace(/%2F/g, "/") : (s) => s;
}

const tokenOf = (last: NonNullable<Listing["last"]>) =>
  Buffer.from(JSON.stringify([last.value, last.isPrefix])).toString("base64");

function parseToken(token: string): { value: string; isPrefix: boolean } {
  try {
    const [value, isPrefix] = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as [unknown, unknown];
    if (typeof value === "string" && typeof isPrefix === "boolean") return { value, isPrefix };
  } catch {
    /* below */
  }
  throw new S3Error("InvalidArgument", "The continuation token provided is incorrect", {
    ArgumentName: "continuation-token",
  });
}

export const ListObjectsV2: S3Handler = async (ctx) => {
  const q = ctx.query;
  const encode = encoder(ctx);
  const max = maxKeys(ctx);
  const token = q.get("continuation-token");
  const startAfter = q.get("start-after");
  const after =
    token !== null ? parseToken(token) : startAfter !== null ? { value: startAfter, isPrefix: false } : undefined;
  const { listing, now } = await list(ctx, after, max);
  return xmlResponse(200, "ListBucketResult", {
    Name: ctx.bucket,
    Prefix: encode(q.get("prefix") ?? ""),
    ...(token !== null ? { ContinuationToken: token } : {}),
    ...(listing.truncated && listing.last ? { NextContinuationToken: tokenOf(listing.last) } : {}),
    ...(startAfter !== null ? { StartAfter: encode(startAfter) } : {}),
    KeyCount: listing.contents.length + listing.prefixes.length,
    MaxKeys: max,
    ...(q.get("delimiter") !== null ? { Delimiter: encode(defined(q.get("delimiter"), 'q.get("delimiter")')) } : {}),
    ...(q.get("encoding-type") !== null ? { EncodingType: "url" } : {}),
    IsTruncated: listing.truncated,
    ...entries(ctx, listing, now, encode),
  });
};

export const ListObjects: S3Handler = async (ctx) => {
  const q = ctx.query;
  const encode = encoder(ctx);
  const max = maxKeys(ctx);
  const marker = q.get("marker") ?? "";
  const { listing, now } = await list(ctx, marker === "" ? undefined : { value: marker, isPrefix: false }, max);
  return xmlResponse(200, "ListBucketResult", {
    Name: ctx.bucket,
    Prefix: encode(q.get("prefix") ?? ""),
    Marker: encode(marker),
    ...(listing.truncated && listing.last ? { NextMarker: encode(listing.last.value) } : {}),
    MaxKeys: max,
    ...(q.get("delimiter") !== null ? { Delimiter: encode(defined(q.get("delimiter"), 'q.get("delimiter")')) } : {}),
    ...(q.get("encoding-type") !== null ? { EncodingType: "url" } : {}),
    IsTruncated: listing.truncated,
    ...entries(ctx, listing, now, encode),
  });
};
