// Multipart uploads: Create, UploadPart, ListParts, Complete, Abort, ListMultipartUploads.
// Parts are files DIR/s3/uploads/<id>/<part number> with a record <part number>.json beside them
// (written without the state lock: parts of one upload arrive in parallel). Completion moves the
// chosen parts' files into the object's folder (DIR/s3/objects/<file>/00001...): its ETag and
// checksums come from the digests recorded per part as each was received, so no byte is read again.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, readdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { segmentName } from "../send-file.ts";
import { newUploadId } from "../ids.ts";
import { COMBINERS } from "./crc-combine.ts";
import {
  type Algorithm,
  type Checksum,
  type ChecksumType,
  compositeChecksum,
  elementName,
  headerName,
  newDigest,
  parseAlgorithm,
  verifyChecksum,
} from "./checksums.ts";
import {
  OWNER,
  type S3Context,
  type S3Handler,
  isoDate,
  objectPath,
  quoteEtag,
  readSmallBody,
  s3Empty,
  s3Of,
  uploadDir,
  xmlResponse,
} from "./context.ts";
import { S3Error, noSuchUpload } from "./errors.ts";
import { storedHeaders } from "./headers.ts";
import { type S3State, type S3UploadRecord, checkKey, getBucket, getUpload, parseStorageClass } from "./model.ts";
import { newFileName, storeObject } from "./ops-objects.ts";
import { MAX_OBJECT, receiveBody } from "./receive.ts";
import { childText, childrenNamed, parseXml } from "./xml.ts";
import { defined } from "../../core/errors.ts";

interface PartRecord {
  partNumber: number;
  size: number;
  etag: string;
  lastModified: number;
  checksum?: string;
  /** The algorithm of `checksum` (the upload's, or CRC64NVME for an upload that has none). */
  algorithm?: Algorithm;
}

const MIN_PART = 5 * 1024 * 1024;
const readS3 = (state: object) => (state as { s3?: S3State }).s3;
const partName = (n: number) => String(n).padStart(5, "0");

async function readParts(dir: string): Promise<PartRecord[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(".json")).sort();
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), "utf8")) as PartRecord));
}

function checksumType(algorithm: Algorithm | undefined, raw: string | undefined): ChecksumType | undefined {
  if (algorithm === undefined) {
    if (raw !== undefined)
      throw new S3Error(
        "InvalidRequest",
        "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.",
      );
    return undefined;
  }
  const type = raw?.toUpperCase() ?? (algorithm === "CRC64NVME" ? "FULL_OBJECT" : "COMPOSITE");
  if (type !== "FULL_OBJECT" && type !== "COMPOSITE")
    throw new S3Error("InvalidRequest", `Value for x-amz-checksum-type header is invalid: ${raw}`);
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html#ChecksumTypes
  if ((type === "FULL_OBJECT" && algorithm.startsWith("SHA")) || (type === "COMPOSITE" && algorithm === "CRC64NVME")) {
    throw new S3Error(
      "InvalidRequest",
      `The ${type} checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`,
    );
  }
  return type;
}

export const CreateMultipartUpload: S3Handler = async (ctx) => {
  checkKey(ctx.key);
  const storageClass = parseStorageClass(ctx.req.headers["x-amz-storage-class"]);
  const algorithm = parseAlgorithm(ctx.req.headers["x-amz-checksum-algorithm"]);
  const type = checksumType(algorithm, ctx.req.headers["x-amz-checksum-type"]);
  const upload: S3UploadRecord = {
    id: newUploadId(),
    bucket: ctx.bucket,
    key: ctx.key,
    initiated: 0,
    storageClass,
    ...storedHeaders(ctx.req),
    ...(algorithm !== undefined ? { checksumAlgorithm: algorithm, checksumType: defined(type, "type") } : {}),
  };
  await mkdir(uploadDir(ctx.env, upload.id), { recursive: true });
  await ctx.env.transactAll((state, now) => {
    const s3 = s3Of(state);
    getBucket(s3, ctx.bucket);
    s3.uploads[upload.id] = { ...upload, initiated: now };
  });
  return xmlResponse(
    200,
    "InitiateMultipartUploadResult",
    { Bucket: ctx.bucket, Key: ctx.key, UploadId: upload.id },
    {
      ...(algorithm !== undefined
        ? { "x-amz-checksum-algorithm": algorithm, "x-amz-checksum-type": defined(type, "type") }
        : {}),
    },
  );
};

const findUpload = (ctx: S3Context, id: string) =>
  ctx.env.readAll((state) => ({ ...getUpload(readS3(state), ctx.bucket, ctx.key, id) }));

export const UploadPart: S3Handler = async (ctx) => {
  const raw = ctx.query.get("partNumber") ?? "";
  const partNumber = Number(raw);
  if (!/^\d+$/.test(raw) || partNumber < 1 || partNumber > 10000)
    throw new S3Error("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
  const upload = await findUpload(ctx, defined(ctx.query.get("uploadId"), 'ctx.query.get("uploadId")'));
  const dir = uploadDir(ctx.env, upload.id);
  const tmp = ctx.env.store.tmpPath("s3-part");
  try {
    // An upload without an algorithm still gets a CRC64NVME per part: S3 gives the object one.
    const want = upload.checksumAlgorithm
      ? { required: upload.checksumAlgorithm }
      : { algorithm: "CRC64NVME" as const };
    const received = await receiveBody(ctx.req, ctx.payload, tmp, {
      ...want,
      maxBytes: MAX_OBJECT,
      hashing: ctx.hashing,
    });
    const record: PartRecord = {
      partNumber,
      size: received.size,
      etag: received.md5.toString("hex"),
      lastModified: ctx.env.now(),
      ...(received.checksum ? { checksum: received.checksum.value, algorithm: received.checksum.algorithm } : {}),
    };
    // Aborted while this part was on its way: the folder is gone.
    const gone = (error: NodeJS.ErrnoException) => {
      throw error.code === "ENOENT" ? noSuchUpload(upload.id) : error;
    };
    await rename(tmp, join(dir, partName(partNumber))).catch(gone);
    const recordTmp = ctx.env.store.tmpPath("s3-part-record");
    await writeFile(recordTmp, JSON.stringify(record));
    await rename(recordTmp, join(dir, `${partName(partNumber)}.json`)).catch(gone);
    return s3Empty(200, {
      ETag: quoteEtag(record.etag),
      ...(received.checksum ? { [headerName(received.checksum.algorithm)]: received.checksum.value } : {}),
    });
  } finally {
    await ctx.env.store.remove(tmp);
  }
};

export const ListParts: S3Handler = async (ctx) => {
  const upload = await findUpload(ctx, defined(ctx.query.get("uploadId"), 'ctx.query.get("uploadId")'));
  const parts = await readParts(uploadDir(ctx.env, upload.id));
  const marker = Number(ctx.query.get("part-number-marker") ?? 0);
  const max = Math.min(1000, Number(ctx.query.get("max-parts") ?? 1000));
  const after = parts.filter((p) => p.partNumber > marker);
  const page = after.slice(0, max);
  const truncated = after.length > page.length;
  const algorithm = upload.checksumAlgorithm;
  return xmlResponse(200, "ListPartsResult", {
    Bucket: ctx.bucket,
    Key: ctx.key,
    UploadId: upload.id,
    PartNumberMarker: marker,
    ...(truncated ? { NextPartNumberMarker: defined(page[page.length - 1], "page[page.length - 1]").partNumber } : {}),
    MaxParts: max,
    IsTruncated: truncated,
    Part: page.map((p) => ({
      PartNumber: p.partNumber,
      LastModified: isoDate(p.lastModified),
      ETag: quoteEtag(p.etag),
      Size: p.size,
      ...(algorithm && p.checksum && p.algorithm === algorithm ? { [elementName(algorithm)]: p.checksum } : {}),
    })),
    Initiator: OWNER,
    Owner: OWNER,
    StorageClass: upload.storageClass,
    ...(algorithm ? { ChecksumAlgorithm: algorithm, ChecksumType: upload.checksumType } : {}),
  });
};

/** The parts named by CompleteMultipartUpload, checked against the parts received. */
function chosenParts(text: string, received: PartRecord[], upload: S3UploadRecord): PartRecord[] {
  const root = parseXml(text);
  const listed = childrenNamed(root, "Part");
  if (root.name !== "CompleteMultipartUpload" || listed.length === 0) {
    throw new S3Error(
      "MalformedXML",
      "The XML you provided was not well-formed or did not validate against our published schema",
    );
  }
  const byNumber = new Map(received.map((p) => [p.partNumber, p]));
  let previous = 0;
  return listed.map((element, i) => {
    const number = Number(childText(element, "PartNumber"));
    if (!(number > previous))
      throw new S3Error(
        "InvalidPartOrder",
        "The list of parts was not in ascending order. Parts must be ordered by part number.",
      );
    previous = number;
    const part = byNumber.get(number);
    const etag = (childText(element, "ETag") ?? "").replace(/^"|"$/g, "");
    const invalidPart = () =>
      new S3Error(
        "InvalidPart",
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the " +
          "specified entity tag may not match the part's entity tag.",
        { PartNumber: String(number), ETag: etag },
      );
    if (!part || part.etag !== etag) throw invalidPart();
    const sentChecksum = upload.checksumAlgorithm
      ? childText(element, elementName(upload.checksumAlgorithm))
      : undefined;
    if (sentChecksum !== undefined && sentChecksum !== part.checksum) throw invalidPart();
    if (i < listed.length - 1 && part.size < MIN_PART) {
      throw new S3Error("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", {
        ProposedSize: String(part.size),
        MinSizeAllowed: String(MIN_PART),
        PartNumber: String(number),
      });
    }
    return part;
  });
}

function combined(algorithm: keyof typeof COMBINERS, parts: readonly PartRecord[]): Buffer {
  let value: Buffer = Buffer.from(defined(defined(parts[0], "parts[0]").checksum, "parts[0].checksum"), "base64");
  for (const part of parts.slice(1))
    value = COMBINERS[algorithm].combine(
      value,
      Buffer.from(defined(part.checksum, "part.checksum"), "base64"),
      part.size,
    );
  return value;
}

async function* partBytes(dir: string, parts: readonly PartRecord[]): AsyncGenerator<Uint8Array> {
  for (const part of parts)
    yield* createReadStream(join(dir, partName(part.partNumber)), {
      highWaterMark: 1024 * 1024,
    }) as AsyncIterable<Buffer>;
}

/**
 * Moves the chosen parts' files into the object's folder as its segments: renames, so no byte is
 * copied and completing a 2 GiB upload takes as long as a 2 MiB one.
 */
async function moveParts(dir: string, parts: readonly PartRecord[], target: string): Promise<void> {
  await mkdir(target);
  await Promise.all(
    parts.map((part, index) => rename(join(dir, partName(part.partNumber)), join(target, segmentName(index)))),
  );
}

export const CompleteMultipartUpload: S3Handler = async (ctx) => {
  const id = defined(ctx.query.get("uploadId"), 'ctx.query.get("uploadId")');
  const upload = await findUpload(ctx, id);
  const dir = uploadDir(ctx.env, id);
  const parts = chosenParts(await readSmallBody(ctx, true), await readParts(dir), upload);
  const algorithm = upload.checksumAlgorithm;
  // FULL_OBJECT: combined from the parts' CRCs when they all have one of that algorithm, else
  // computed over the parts' files.
  const fullAlgorithm =
    algorithm === undefined ? "CRC64NVME" : upload.checksumType === "FULL_OBJECT" ? algorithm : undefined;
  const combinable =
    fullAlgorithm !== undefined && fullAlgorithm in COMBINERS && parts.every((p) => p.algorithm === fullAlgorithm);
  const full = fullAlgorithm !== undefined && !combinable ? newDigest(fullAlgorithm) : undefined;
  const file = newFileName();
  const target = objectPath(ctx.env, file);
  let stored = false;
  try {
    const size = parts.reduce((sum, p) => sum + p.size, 0);
    if (full) for await (const chunk of partBytes(dir, parts)) full.update(chunk);
    let checksum: Checksum;
    if (fullAlgorithm === undefined)
      checksum = {
        algorithm: defined(algorithm, "algorithm"),
        value: compositeChecksum(
          defined(algorithm, "algorithm"),
          parts.map((p) => p.checksum ?? ""),
        ),
        type: "COMPOSITE",
      };
    else {
      const value = full ? full.digest() : combined(fullAlgorithm as keyof typeof COMBINERS, parts);
      checksum = { algorithm: fullAlgorithm, value: value.toString("base64"), type: "FULL_OBJECT" };
    }
    const sent = algorithm !== undefined ? ctx.req.headers[headerName(algorithm)] : undefined;
    if (sent !== undefined && fullAlgorithm !== undefined)
      verifyChecksum(defined(algorithm, "algorithm"), sent, Buffer.from(checksum.value, "base64"));
    const md5s = createHash("md5");
    for (const p of parts) md5s.update(Buffer.from(p.etag, "hex"));
    const etag = `${md5s.digest("hex")}-${parts.length}`;
    const record = {
      key: ctx.key,
      file,
      segmented: true as const,
      size,
      etag,
      storageClass: upload.storageClass,
      checksum,
      parts: parts.map((p) => p.size),
      ...(checksum.type === "COMPOSITE" ? { partChecksums: parts.map((p) => p.checksum ?? "") } : {}),
      contentType: upload.contentType,
      meta: upload.meta,
      other: upload.other,
    };
    await ctx.env.transactAll((state) => {
      const s3 = s3Of(state);
      getUpload(s3, ctx.bucket, ctx.key, id);
      Reflect.deleteProperty(s3.uploads, id);
    });
    // The upload is no longer listed, so no abort or completion of it can take its parts now.
    await moveParts(dir, parts, target);
    const { headers: version } = await storeObject(ctx.env, ctx.bucket, record);
    stored = true;
    await ctx.env.store.remove(dir);
    return xmlResponse(
      200,
      "CompleteMultipartUploadResult",
      {
        Location: `/${ctx.bucket}/${encodeURIComponent(ctx.key)}`,
        Bucket: ctx.bucket,
        Key: ctx.key,
        ETag: quoteEtag(etag),
        ...(algorithm !== undefined ? { [elementName(algorithm)]: checksum.value, ChecksumType: checksum.type } : {}),
      },
      version,
    );
  } finally {
    if (!stored) await ctx.env.store.remove(target);
  }
};

export const AbortMultipartUpload: S3Handler = async (ctx) => {
  const id = defined(ctx.query.get("uploadId"), 'ctx.query.get("uploadId")');
  await ctx.env.transactAll((state) => {
    const s3 = s3Of(state);
    getUpload(s3, ctx.bucket, ctx.key, id);
    Reflect.deleteProperty(s3.uploads, id);
  });
  await ctx.env.store.remove(uploadDir(ctx.env, id));
  return s3Empty(204);
};

export const ListMultipartUploads: S3Handler = async (ctx) => {
  const q = ctx.query;
  const prefix = q.get("prefix") ?? "";
  const keyMarker = q.get("key-marker") ?? "";
  const idMarker = q.get("upload-id-marker") ?? "";
  const max = Math.min(1000, Number(q.get("max-uploads") ?? 1000));
  const all = await ctx.env.readAll((state) => {
    const s3 = readS3(state);
    getBucket(s3, ctx.bucket);
    return Object.values(defined(s3, "s3").uploads)
      .filter((u) => u.bucket === ctx.bucket && u.key.startsWith(prefix))
      .sort((a, b) =>
        a.key !== b.key ? (a.key < b.key ? -1 : 1) : a.initiated - b.initiated || (a.id < b.id ? -1 : 1),
      );
  });
  const from =
    keyMarker === ""
      ? 0
      : all.findIndex((u) => u.key > keyMarker || (u.key === keyMarker && idMarker !== "" && u.id > idMarker));
  const rest = from < 0 ? [] : all.slice(from);
  const page = rest.slice(0, max);
  const truncated = rest.length > page.length;
  const last = page[page.length - 1];
  return xmlResponse(200, "ListMultipartUploadsResult", {
    Bucket: ctx.bucket,
    KeyMarker: keyMarker,
    UploadIdMarker: idMarker,
    ...(truncated && last ? { NextKeyMarker: last.key, NextUploadIdMarker: last.id } : {}),
    Prefix: prefix,
    MaxUploads: max,
    IsTruncated: truncated,
    Upload: page.map((u) => ({
      Key: u.key,
      UploadId: u.id,
      Initiator: OWNER,
      Owner: OWNER,
      StorageClass: u.storageClass,
      Initiated: isoDate(u.initiated),
      ...(u.checksumAlgorithm ? { ChecksumAlgorithm: u.checksumAlgorithm, ChecksumType: u.checksumType } : {}),
    })),
  });
};
