// The S3 adapter: the ONLY file of the S3 plugin that imports @aws-sdk/* (docs/backends.md#plugins).
// It sends S3 requests and turns SDK shapes into the plain records of objects.ts; failures go
// through mapS3Error. The SDK's own retries are off (maxAttempts 1): the retry layer of
// src/glacier/retry.ts is the one retry layer. The SDK adds no checksum of its own to requests
// (WHEN_REQUIRED): we send SHA-256 digests computed while reading. Nor does it validate the checksums
// of downloads: GetObject asks for them with the x-amz-checksum-mode header (not the ChecksumMode
// parameter, which makes the SDK hash the body) and the download engine checks the SHA-256 in the
// same pass as the tree hash (src/glacier/fetch-range.ts).
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  RestoreObjectCommand,
  S3Client,
  UploadPartCommand,
  type S3ClientConfig,
  type StorageClass as SdkStorageClass,
  type Tier as SdkTier,
} from "@aws-sdk/client-s3";
import { Readable } from "node:stream";
import { ServiceError } from "../../core/errors.ts";
import type { StaticCredentials } from "../../glacier/settings.ts";
import { mapS3Error } from "./errors.ts";
import type { ListedObject, ListedPart, ListedUpload, ObjectGet, ObjectHead, S3Api } from "./objects.ts";

export interface S3SdkConfig {
  region: string;
  endpointUrl?: string;
  endpointLabel: string;
  credentials?: StaticCredentials;
  profile?: string;
  maxSockets?: number;
  stallTimeoutMs: number;
}

const MAX_PAGES = 100_000;

export function createS3Api(config: S3SdkConfig): S3Api {
  const clientConfig: S3ClientConfig = {
    region: config.region,
    maxAttempts: 1,
    // An endpoint of our own (the emulator, a test server) is addressed path-style: its host
    // name has no bucket sub-domains.
    forcePathStyle: config.endpointUrl !== undefined,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    // No `Expect: 100-continue` before each part: it costs a round trip per request (measured: the
    // uploads to the emulator ran at a third of the vault uploads' speed with it), and a refusal
    // (signature, missing bucket) costs at most one part's bytes.
    expectContinueHeader: false,
    requestHandler: {
      connectionTimeout: Math.min(10_000, config.stallTimeoutMs),
      socketTimeout: config.stallTimeoutMs,
      httpAgent: { keepAlive: true, maxSockets: config.maxSockets ?? 16 },
    },
  };
  if (config.endpointUrl) clientConfig.endpoint = config.endpointUrl;
  if (config.credentials) clientConfig.credentials = config.credentials;
  if (config.profile) clientConfig.profile = config.profile;
  const client = new S3Client(clientConfig);
  // SigV4 signs the payload's SHA-256; the engine computed it while reading the part, so the signer
  // is handed it (it uses an x-amz-content-sha256 header already set) instead of hashing again.
  const payloadHashes = new WeakMap<object, string>();
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: unknown };
      const known =
        typeof request.body === "object" && request.body !== null ? payloadHashes.get(request.body) : undefined;
      if (known && request.headers) request.headers["x-amz-content-sha256"] = known;
      return next(args);
    },
    { step: "build", name: "knownPayloadHash" },
  );
  // A whole object or a part is read with its checksum (a ranged read gets none from S3); the header is
  // set here so that the SDK does not hash the body a second time (see above).
  client.middlewareStack.add(
    (next, context) => (args) => {
      const input = args.input as { Range?: string };
      const request = args.request as { headers?: Record<string, string> };
      if (context.commandName === "GetObjectCommand" && input.Range === undefined && request.headers)
        request.headers["x-amz-checksum-mode"] = "ENABLED";
      return next(args);
    },
    { step: "build", name: "getObjectChecksumMode" },
  );
  const call = async <T>(operation: string, target: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      throw mapS3Error(error, { operation, target, endpoint: config.endpointLabel, region: config.region });
    }
  };
  const at = (bucket: string, key?: string) => `s3://${bucket}/${key ?? ""}`;

  return {
    endpoint: config.endpointLabel,
    createBucket: async (bucket) => {
      await call("CreateBucket", at(bucket), () => client.send(new CreateBucketCommand({ Bucket: bucket })));
    },
    headBucket: async (bucket) => {
      await call("HeadBucket", at(bucket), () => client.send(new HeadBucketCommand({ Bucket: bucket })));
    },
    versioningEnabled: (bucket) =>
      call("GetBucketVersioning", at(bucket), async () => {
        const out = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
        return out.Status === "Enabled";
      }),
    deleteBucket: async (bucket) => {
      await call("DeleteBucket", at(bucket), () => client.send(new DeleteBucketCommand({ Bucket: bucket })));
    },
    putObject: (input) =>
      call("PutObject", at(input.bucket, input.key), async () => {
        payloadHashes.set(input.body, Buffer.from(input.sha256Base64, "base64").toString("hex"));
        const out = await client.send(
          new PutObjectCommand({
            Bucket: input.bucket,
            Key: input.key,
            Body: input.body,
            ContentLength: input.body.length,
            ChecksumSHA256: input.sha256Base64,
            StorageClass: input.storageClass as SdkStorageClass,
            Metadata: input.metadata,
          }),
        );
        return { ...(out.VersionId ? { versionId: out.VersionId } : {}), checksumSha256: out.ChecksumSHA256 };
      }),
    createMultipart: (input) =>
      call("CreateMultipartUpload", at(input.bucket, input.key), async () => {
        const out = await client.send(
          new CreateMultipartUploadCommand({
            Bucket: input.bucket,
            Key: input.key,
            StorageClass: input.storageClass as SdkStorageClass,
            ChecksumAlgorithm: "SHA256",
            ChecksumType: "COMPOSITE",
            Metadata: input.metadata,
          }),
        );
        if (!out.UploadId) throw new ServiceError("S3 sent no multipart upload ID", "InternalFailure");
        return out.UploadId;
      }),
    uploadPart: (input) =>
      call("UploadPart", at(input.bucket, input.key), async () => {
        payloadHashes.set(input.body, Buffer.from(input.sha256Base64, "base64").toString("hex"));
        const out = await client.send(
          new UploadPartCommand({
            Bucket: input.bucket,
            Key: input.key,
            UploadId: input.uploadId,
            PartNumber: input.partNumber,
            Body: input.body,
            ContentLength: input.body.length,
            ChecksumSHA256: input.sha256Base64,
          }),
        );
        return { checksumSha256: out.ChecksumSHA256 };
      }),
    listParts: (bucket, key, uploadId) =>
      call("ListParts", at(bucket, key), async () => {
        const parts: ListedPart[] = [];
        let marker: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const out = await client.send(
            new ListPartsCommand({
              Bucket: bucket,
              Key: key,
              UploadId: uploadId,
              ...(marker ? { PartNumberMarker: marker } : {}),
            }),
          );
          for (const p of out.Parts ?? [])
            if (p.PartNumber !== undefined && p.Size !== undefined && p.ETag)
              parts.push({ partNumber: p.PartNumber, size: p.Size, etag: p.ETag, checksumSha256: p.ChecksumSHA256 });
          if (!out.IsTruncated || !out.NextPartNumberMarker || out.NextPartNumberMarker === marker) break;
          marker = out.NextPartNumberMarker;
        }
        return parts.sort((a, b) => a.partNumber - b.partNumber);
      }),
    completeMultipart: (input) =>
      call("CompleteMultipartUpload", at(input.bucket, input.key), async () => {
        const out = await client.send(
          new CompleteMultipartUploadCommand({
            Bucket: input.bucket,
            Key: input.key,
            UploadId: input.uploadId,
            MultipartUpload: {
              Parts: input.parts.map((p) => ({
                PartNumber: p.partNumber,
                ETag: p.etag,
                ...(p.checksumSha256 ? { ChecksumSHA256: p.checksumSha256 } : {}),
              })),
            },
          }),
        );
        return { ...(out.VersionId ? { versionId: out.VersionId } : {}), checksumSha256: out.ChecksumSHA256 };
      }),
    abortMultipart: async (bucket, key, uploadId) => {
      await call("AbortMultipartUpload", at(bucket, key), () =>
        client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })),
      );
    },
    listMultipartUploads: (bucket, prefix) =>
      call("ListMultipartUploads", at(bucket, prefix), async () => {
        const uploads: ListedUpload[] = [];
        let keyMarker: string | undefined;
        let idMarker: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const out = await client.send(
            new ListMultipartUploadsCommand({
              Bucket: bucket,
              Prefix: prefix,
              ...(keyMarker ? { KeyMarker: keyMarker } : {}),
              ...(idMarker ? { UploadIdMarker: idMarker } : {}),
            }),
          );
          for (const u of out.Uploads ?? [])
            if (u.Key !== undefined && u.UploadId)
              uploads.push({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated?.getTime() ?? 0 });
          if (!out.IsTruncated || (out.NextKeyMarker === keyMarker && out.NextUploadIdMarker === idMarker)) break;
          keyMarker = out.NextKeyMarker;
          idMarker = out.NextUploadIdMarker;
        }
        return uploads;
      }),
    listObjects: (bucket, prefix, withRestoreStatus) =>
      call("ListObjectsV2", at(bucket, prefix), async () => {
        const objects: ListedObject[] = [];
        let token: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const out = await client.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: prefix,
              ...(token ? { ContinuationToken: token } : {}),
              ...(withRestoreStatus ? { OptionalObjectAttributes: ["RestoreStatus"] } : {}),
            }),
          );
          for (const o of out.Contents ?? []) {
            if (o.Key === undefined) continue;
            const listed: ListedObject = {
              key: o.Key,
              size: o.Size ?? 0,
              lastModified: o.LastModified?.getTime() ?? 0,
              storageClass: o.StorageClass ?? "STANDARD",
            };
            if (o.RestoreStatus?.IsRestoreInProgress !== undefined)
              listed.restoreInProgress = o.RestoreStatus.IsRestoreInProgress;
            if (o.RestoreStatus?.RestoreExpiryDate) listed.restoreExpiry = o.RestoreStatus.RestoreExpiryDate.getTime();
            objects.push(listed);
          }
          if (!out.IsTruncated || !out.NextContinuationToken || out.NextContinuationToken === token) break;
          token = out.NextContinuationToken;
        }
        return objects;
      }),
    headObject: (bucket, key, versionId, partNumber) =>
      call("HeadObject", at(bucket, key), async () => {
        const out = await client.send(
          new HeadObjectCommand({
            Bucket: bucket,
            Key: key,
            ...(versionId ? { VersionId: versionId } : {}),
            ...(partNumber !== undefined ? { PartNumber: partNumber } : {}),
            ChecksumMode: "ENABLED",
          }),
        );
        const head: ObjectHead = {
          size: out.ContentLength ?? 0,
          lastModified: out.LastModified?.getTime() ?? 0,
          storageClass: out.StorageClass ?? "STANDARD",
          metadata: out.Metadata ?? {},
        };
        if (out.VersionId) head.versionId = out.VersionId;
        if (out.Restore) head.restore = out.Restore;
        if (out.ChecksumSHA256) head.checksumSha256 = out.ChecksumSHA256;
        if (out.PartsCount !== undefined) head.partsCount = out.PartsCount;
        return head;
      }),
    restoreObject: (input) =>
      call("RestoreObject", at(input.bucket, input.key), async () => {
        const out = await client.send(
          new RestoreObjectCommand({
            Bucket: input.bucket,
            Key: input.key,
            ...(input.versionId ? { VersionId: input.versionId } : {}),
            RestoreRequest: { Days: input.days, GlacierJobParameters: { Tier: input.tier as SdkTier } },
          }),
        );
        return out.$metadata.httpStatusCode === 200 ? "already-restored" : "started";
      }),
    getObject: (input) =>
      call("GetObject", at(input.bucket, input.key), async () => {
        const out = await client.send(
          new GetObjectCommand({
            Bucket: input.bucket,
            Key: input.key,
            ...(input.versionId ? { VersionId: input.versionId } : {}),
            ...(input.partNumber !== undefined
              ? { PartNumber: input.partNumber }
              : input.range
                ? { Range: `bytes=${input.range.start}-${input.range.end}` }
                : {}),
          }),
          input.signal ? { abortSignal: input.signal } : {},
        );
        const body = out.Body;
        if (!(body instanceof Readable)) throw new ServiceError("S3 sent no object body", "InternalFailure");
        const got: ObjectGet = { body, status: out.$metadata.httpStatusCode ?? 200 };
        if (out.ContentLength !== undefined) got.contentLength = out.ContentLength;
        if (out.ContentRange) got.contentRange = out.ContentRange;
        if (out.ChecksumSHA256) got.checksumSha256 = out.ChecksumSHA256;
        return got;
      }),
    deleteObject: async (bucket, key, versionId) => {
      await call("DeleteObject", at(bucket, key), () =>
        client.send(
          new DeleteObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
        ),
      );
    },
    close: () => {
      client.destroy();
      return Promise.resolve();
    },
  };
}
