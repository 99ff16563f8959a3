// Bucket versioning operations: PutBucketVersioning, GetBucketVersioning and ListObjectVersions
// (keys in UTF-8 binary order, each key's versions newest first; prefix, delimiter, key-marker and
// version-id-marker pagination, EncodingType=url). The rules of versions are in versions.ts.
import { OWNER, type S3Handler, isoDate, quoteEtag, readSmallBody, s3Empty, s3Of, xmlResponse } from "./context.ts";
import { S3Error } from "./errors.ts";
import { type S3State, type VersionEntry, getBucket } from "./model.ts";
import { encoder, maxKeys } from "./ops-list.ts";
import { isDeleteMarker, versionIdOf, versionsOf } from "./versions.ts";
import { childText, parseXml } from "./xml.ts";

const malformed = () =>
  new S3Error(
    "MalformedXML",
    "The XML you provided was not well-formed or did not validate against our published schema",
  );

export const PutBucketVersioning: S3Handler = async (ctx) => {
  const root = parseXml(await readSmallBody(ctx));
  const status = childText(root, "Status");
  if (root.name !== "VersioningConfiguration" || (status !== "Enabled" && status !== "Suspended")) throw malformed();
  await ctx.env.transactAll((state) => {
    getBucket(s3Of(state), ctx.bucket).versioning = status;
  });
  return s3Empty(200);
};

export const GetBucketVersioning: S3Handler = async (ctx) => {
  const versioning = await ctx.env.readAll((state) => getBucket((state as { s3?: S3State }).s3, ctx.bucket).versioning);
  return xmlResponse(200, "VersioningConfiguration", versioning === undefined ? {} : { Status: versioning });
};

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

export const ListObjectVersions: S3Handler = async (ctx) => {
  const q = ctx.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const keyMarker = q.get("key-marker") ?? "";
  const versionIdMarker = q.get("version-id-marker") ?? "";
  const max = maxKeys(ctx);
  const type = q.get("encoding-type");
  const encode = encoder(ctx);
  if (versionIdMarker !== "" && keyMarker === "")
    throw new S3Error("InvalidArgument", "A version-id marker cannot be specified without a key marker.", {
      ArgumentName: "version-id-marker",
      ArgumentValue: versionIdMarker,
    });

  const page = await ctx.env.readAll((state) => {
    const bucket = getBucket((state as { s3?: S3State }).s3, ctx.bucket);
    const keys = [...new Set([...Object.keys(bucket.objects), ...Object.keys(bucket.versions ?? {})])]
      .filter((k) => k.startsWith(prefix))
      .sort(byteOrder);
    const entries: { entry: VersionEntry; latest: boolean }[] = [];
    const prefixes: string[] = [];
    // The last key (with its version) or common prefix of the page: where the next page starts after.
    let last: { key: string; versionId?: string } | undefined;
    let next: typeof last;
    const full = () => entries.length + prefixes.length >= max;
    for (const key of keys) {
      const cut = delimiter === "" ? -1 : key.indexOf(delimiter, prefix.length);
      if (cut >= 0) {
        const common = key.slice(0, cut + delimiter.length);
        if (byteOrder(common, keyMarker) <= 0 || prefixes.at(-1) === common) continue;
        if (full()) {
          next = last;
          break;
        }
        prefixes.push(common);
        last = { key: common };
        continue;
      }
      if (byteOrder(key, keyMarker) < 0) continue;
      const versions = versionsOf(bucket, key);
      let start = 0;
      if (key === keyMarker) {
        if (versionIdMarker === "") continue;
        const at = versions.findIndex((v) => versionIdOf(v) === versionIdMarker);
        if (at < 0) continue;
        start = at + 1;
      }
      for (const [i, entry] of versions.entries()) {
        if (i < start) continue;
        if (full()) {
          next = last;
          break;
        }
        entries.push({ entry, latest: i === 0 });
        last = { key, versionId: versionIdOf(entry) };
      }
      if (next) break;
    }
    return { entries, prefixes, next };
  });

  const owner = { Owner: OWNER };
  const versions = page.entries.filter((e) => !isDeleteMarker(e.entry));
  const markers = page.entries.filter((e) => isDeleteMarker(e.entry));
  return xmlResponse(200, "ListVersionsResult", {
    Name: ctx.bucket,
    Prefix: encode(prefix),
    KeyMarker: encode(keyMarker),
    VersionIdMarker: versionIdMarker,
    ...(page.next ? { NextKeyMarker: encode(page.next.key) } : {}),
    ...(page.next?.versionId !== undefined ? { NextVersionIdMarker: page.next.versionId } : {}),
    MaxKeys: max,
    ...(delimiter !== "" ? { Delimiter: encode(delimiter) } : {}),
    ...(type !== null ? { EncodingType: "url" } : {}),
    IsTruncated: page.next !== undefined,
    Version: versions.map(({ entry, latest }) => {
      const o = entry as Exclude<VersionEntry, { deleteMarker: true }>;
      return {
        Key: encode(o.key),
        VersionId: versionIdOf(o),
        IsLatest: latest,
        LastModified: isoDate(o.lastModified),
        ETag: quoteEtag(o.etag),
        ...(o.checksum ? { ChecksumAlgorithm: o.checksum.algorithm, ChecksumType: o.checksum.type } : {}),
        Size: o.size,
        StorageClass: o.storageClass,
        ...owner,
      };
    }),
    DeleteMarker: markers.map(({ entry, latest }) => ({
      ...owner,
      Key: encode(entry.key),
      VersionId: versionIdOf(entry),
      IsLatest: latest,
      LastModified: isoDate(entry.lastModified),
    })),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: encode(p) })),
  });
};
