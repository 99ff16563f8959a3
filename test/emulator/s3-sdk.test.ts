// The emulator's S3 API driven by AWS SDK for JavaScript v3 (@aws-sdk/client-s3) with its defaults:
// streamed uploads as aws-chunked bodies with a trailing checksum, response checksums validated on
// download, CRC32C and CRC64NVME; virtual-hosted addressing; faults and the request log.
import { Agent } from "node:http";
import { Readable } from "node:stream";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { RestoreObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it, onTestFinished } from "vitest";
import { startEmulator } from "../../src/emulator/index.ts";
import { Crc64Nvme } from "../../src/emulator/s3/crc64nvme.ts";
import { TEST_CREDENTIALS, bytes } from "./helpers.ts";
import { s3Emulator } from "./s3-helpers.ts";

function client(url: string, options: { virtual?: boolean } = {}): S3Client {
  const s3 = new S3Client({
    region: "us-east-1",
    endpoint: url,
    credentials: TEST_CREDENTIALS,
    forcePathStyle: !options.virtual,
    maxAttempts: 1,
    // *.localhost does not resolve on every machine: the agent sends every name to the emulator.
    ...(options.virtual
      ? {
          requestHandler: {
            httpAgent: new Agent({
              lookup: (_h, _o, cb) => {
                cb(null, [{ address: "127.0.0.1", family: 4 }]);
              },
            }),
          },
        }
      : {}),
  });
  onTestFinished(() => {
    s3.destroy();
  });
  return s3;
}

async function errorOf(promise: Promise<unknown>): Promise<[string, number | undefined]> {
  try {
    await promise;
    return ["no error", undefined];
  } catch (error) {
    if (!(error instanceof S3ServiceException)) throw error;
    return [error.name, error.$metadata.httpStatusCode];
  }
}

describe("emulator S3 with AWS SDK v3", () => {
  it(
    "takes a streamed PutObject as an aws-chunked body with its trailing checksum, and the SDK validates the " +
      "download",
    async () => {
      const { emulator } = await s3Emulator();
      const s3 = client(emulator.url);
      await s3.send(new CreateBucketCommand({ Bucket: "sdk" }));
      // What the SDK put on the wire (read after signing, as the last step before sending).
      const sent: string[] = [];
      s3.middlewareStack.add(
        (next) => async (args) => {
          const headers = (args.request as { headers: Record<string, string> }).headers;
          sent.push(
            `${headers["content-encoding"] ?? ""} ${headers["x-amz-content-sha256"] ?? ""} ` +
              (headers["x-amz-trailer"] ?? ""),
          );
          return next(args);
        },
        { step: "finalizeRequest", priority: "low", name: "recordSentHeaders" },
      );
      const data = bytes(1024 * 1024 + 3, 4);
      for (const algorithm of [undefined, "CRC32C", "CRC64NVME", "SHA256"] as const) {
        const key = `k-${algorithm ?? "default"}`;
        await s3.send(
          new PutObjectCommand({
            Bucket: "sdk",
            Key: key,
            Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]),
            ContentLength: data.length,
            ...(algorithm ? { ChecksumAlgorithm: algorithm } : {}),
          }),
        );
        const got = await s3.send(new GetObjectCommand({ Bucket: "sdk", Key: key, ChecksumMode: "ENABLED" }));
        expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
      }
      const puts = emulator.control.requestLog().filter((e) => e.operation === "PutObject");
      expect(puts.map((e) => e.status)).toEqual([200, 200, 200, 200]);
      expect(sent.filter((_, i) => i % 2 === 0)).toEqual([
        "aws-chunked STREAMING-UNSIGNED-PAYLOAD-TRAILER x-amz-checksum-crc32",
        "aws-chunked STREAMING-UNSIGNED-PAYLOAD-TRAILER x-amz-checksum-crc32c",
        "aws-chunked STREAMING-UNSIGNED-PAYLOAD-TRAILER x-amz-checksum-crc64nvme",
        "aws-chunked STREAMING-UNSIGNED-PAYLOAD-TRAILER x-amz-checksum-sha256",
      ]);
      const head = await s3.send(new HeadObjectCommand({ Bucket: "sdk", Key: "k-CRC64NVME", ChecksumMode: "ENABLED" }));
      expect(head.ChecksumCRC64NVME).toBe(new Crc64Nvme().update(data).digest().toString("base64"));
    },
    60_000,
  );

  it("completes a FULL_OBJECT CRC64NVME multipart upload whose whole-object checksum the client sent", async () => {
    const { emulator } = await s3Emulator();
    const s3 = client(emulator.url);
    await s3.send(new CreateBucketCommand({ Bucket: "sdk" }));
    const data = bytes(12 * 1024 * 1024, 9);
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: "sdk",
        Key: "mp",
        ChecksumAlgorithm: "CRC64NVME",
        ChecksumType: "FULL_OBJECT",
        StorageClass: "DEEP_ARCHIVE",
      }),
    );
    const parts = [];
    for (const [i, start] of [0, 6 * 1024 * 1024].entries()) {
      const body = data.subarray(start, start + 6 * 1024 * 1024);
      const part = await s3.send(
        new UploadPartCommand({
          Bucket: "sdk",
          Key: "mp",
          UploadId,
          PartNumber: i + 1,
          Body: body,
          ChecksumAlgorithm: "CRC64NVME",
        }),
      );
      parts.push({ PartNumber: i + 1, ETag: part.ETag!, ChecksumCRC64NVME: part.ChecksumCRC64NVME! });
    }
    const whole = new Crc64Nvme().update(data).digest().toString("base64");
    const wrong = await errorOf(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: "sdk",
          Key: "mp",
          UploadId,
          MultipartUpload: { Parts: parts },
          ChecksumCRC64NVME: "AAAAAAAAAAA=",
        }),
      ),
    );
    expect(wrong).toEqual(["BadDigest", 400]);
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: "sdk",
        Key: "mp",
        UploadId,
        MultipartUpload: { Parts: parts },
        ChecksumCRC64NVME: whole,
        ChecksumType: "FULL_OBJECT",
      }),
    );
    expect(done).toMatchObject({ ChecksumCRC64NVME: whole, ChecksumType: "FULL_OBJECT" });
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: "sdk", OptionalObjectAttributes: ["RestoreStatus"] }),
    );
    expect(listed.Contents).toEqual([
      expect.objectContaining({
        Key: "mp",
        Size: data.length,
        StorageClass: "DEEP_ARCHIVE",
        ChecksumAlgorithm: ["CRC64NVME"],
      }),
    ]);
    expect(await errorOf(s3.send(new GetObjectCommand({ Bucket: "sdk", Key: "mp" })))).toEqual([
      "InvalidObjectState",
      403,
    ]);
    // Sent without checksums, an upload still gets the CRC64NVME of the whole object.
    const plain = await s3.send(new CreateMultipartUploadCommand({ Bucket: "sdk", Key: "plain" }));
    const plainParts = [];
    for (const [i, start] of [0, 6 * 1024 * 1024].entries()) {
      const part = await s3.send(
        new UploadPartCommand({
          Bucket: "sdk",
          Key: "plain",
          UploadId: plain.UploadId,
          PartNumber: i + 1,
          Body: data.subarray(start, start + 6 * 1024 * 1024),
        }),
      );
      plainParts.push({ PartNumber: i + 1, ETag: part.ETag! });
    }
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: "sdk",
        Key: "plain",
        UploadId: plain.UploadId,
        MultipartUpload: { Parts: plainParts },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: "sdk", Key: "plain", ChecksumMode: "ENABLED" }));
    expect([head.ChecksumCRC64NVME, head.ChecksumType]).toEqual([whole, "FULL_OBJECT"]);
  }, 60_000);

  it("serves virtual-hosted requests, applies fault rules to S3 operations by bucket and logs them", async () => {
    const { emulator } = await s3Emulator();
    const s3 = client(emulator.url.replace("127.0.0.1", "localhost"), { virtual: true });
    await s3.send(new CreateBucketCommand({ Bucket: "hosted" }));
    await s3.send(new PutObjectCommand({ Bucket: "hosted", Key: "a/b c", Body: "x" }));
    emulator.control.setFaults("throttle,op=GetObject,vault=hosted,nth=1;500,op=HeadObject,times=1");
    expect(await errorOf(s3.send(new GetObjectCommand({ Bucket: "hosted", Key: "a/b c" })))).toEqual(["SlowDown", 503]);
    // A HEAD answer has no body, so the SDK knows only the status.
    expect((await errorOf(s3.send(new HeadObjectCommand({ Bucket: "hosted", Key: "a/b c" }))))[1]).toBe(500);
    const got = await s3.send(new GetObjectCommand({ Bucket: "hosted", Key: "a/b c" }));
    expect(await got.Body!.transformToString()).toBe("x");
    const log = emulator.control.requestLog().map((e) => [e.operation, e.status, e.faults.join(",")]);
    expect(log).toEqual([
      ["CreateBucket", 200, ""],
      ["PutObject", 200, ""],
      ["GetObject", 503, "throttle"],
      ["HeadObject", 500, "500"],
      ["GetObject", 200, ""],
    ]);
  }, 60_000);

  it("keeps buckets, objects, uploads and restores in the data DIR across a restart", async () => {
    const first = await s3Emulator();
    const s3 = client(first.emulator.url);
    await s3.send(new CreateBucketCommand({ Bucket: "kept" }));
    await s3.send(
      new PutObjectCommand({
        Bucket: "kept",
        Key: "cold",
        Body: "archived bytes",
        StorageClass: "GLACIER",
        Metadata: { tree: "abc" },
      }),
    );
    await s3.send(
      new RestoreObjectCommand({
        Bucket: "kept",
        Key: "cold",
        RestoreRequest: { Days: 1, GlacierJobParameters: { Tier: "Bulk" } },
      }),
    );
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "kept", Key: "open" }));
    await first.emulator.close();
    const second = await startEmulator({ dataDir: first.dataDir, auth: "strict", credentials: TEST_CREDENTIALS });
    onTestFinished(() => second.close());
    const again = client(second.url);
    expect(await again.send(new HeadObjectCommand({ Bucket: "kept", Key: "cold" }))).toMatchObject({
      Restore: 'ongoing-request="true"',
      Metadata: { tree: "abc" },
      StorageClass: "GLACIER",
    });
    await second.control.advanceClock(12 * 3600);
    const got = await again.send(new GetObjectCommand({ Bucket: "kept", Key: "cold" }));
    expect(await got.Body!.transformToString()).toBe("archived bytes");
    expect((await second.control.dumpState()).s3!.uploads[UploadId!]).toMatchObject({ key: "open", bucket: "kept" });
  }, 60_000);
});
