// The emulator's S3 answers side by side with a second S3 implementation we did not write (s3rver),
// the same requests sent to both by the AWS SDK for JavaScript: buckets, objects with metadata,
// ranges, multipart uploads, ListObjectsV2 with prefixes, delimiters and pages, deletes and errors.
// What s3rver does not model (storage classes, restores, ListParts, checksums) is left out, and so is
// where it differs from S3: its multipart ETag is the MD5 of the whole object (S3's is the MD5 of the
// parts' MD5s and "-N"), and its pages hold max-keys keys plus every common prefix (S3 counts
// common prefixes toward max-keys).
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { describe, expect, it, onTestFinished } from "vitest";
import { S3RVER_KEYS, startS3rver } from "../helpers/s3rver.ts";
import { TEST_CREDENTIALS, bytes } from "./helpers.ts";
import { s3Emulator } from "./s3-helpers.ts";

/** One run of the same requests; what it returns is compared between the two servers. */
async function exercise(s3: S3Client): Promise<{ out: unknown; multipartEtag: string | undefined }> {
  const code = async (request: Promise<unknown>) =>
    request.then(
      () => "ok",
      (error: unknown) =>
        error instanceof S3ServiceException ? `${error.name} ${String(error.$metadata.httpStatusCode)}` : String(error),
    );
  const out: Record<string, unknown> = {};
  await s3.send(new CreateBucketCommand({ Bucket: "side" }));
  const data = bytes(300_000);
  const put = await s3.send(
    new PutObjectCommand({ Bucket: "side", Key: "a/one", Body: data, Metadata: { "sha256-tree-hash": "abc" } }),
  );
  out["putEtag"] = put.ETag;
  const head = await s3.send(new HeadObjectCommand({ Bucket: "side", Key: "a/one" }));
  out["head"] = [head.ContentLength, head.Metadata, head.ETag];
  const ranged = await s3.send(new GetObjectCommand({ Bucket: "side", Key: "a/one", Range: "bytes=1000-1999" }));
  out["range"] = [
    ranged.ContentRange,
    Buffer.from((await ranged.Body?.transformToByteArray()) ?? []).equals(data.subarray(1000, 2000)),
  ];

  const parts = [bytes(5 * 1024 * 1024, 7), bytes(1234, 9)];
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "side", Key: "b/big" }));
  const etags: string[] = [];
  for (const [i, Body] of parts.entries())
    etags.push(
      (await s3.send(new UploadPartCommand({ Bucket: "side", Key: "b/big", UploadId, PartNumber: i + 1, Body })))
        .ETag ?? "",
    );
  const done = await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: "side",
      Key: "b/big",
      UploadId,
      MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
    }),
  );
  const multipartEtag = done.ETag;
  const whole = await s3.send(new GetObjectCommand({ Bucket: "side", Key: "b/big" }));
  out["multipartBytes"] = Buffer.from((await whole.Body?.transformToByteArray()) ?? []).equals(Buffer.concat(parts));

  for (const key of ["a/two", "a/sub/three", "c"])
    await s3.send(new PutObjectCommand({ Bucket: "side", Key: key, Body: key }));
  const pages: unknown[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: "side", MaxKeys: 2, ContinuationToken: token }));
    pages.push(page.Contents?.map((o) => [o.Key, o.Size, o.Key === "b/big" ? "multipart" : o.ETag]) ?? []);
    token = page.NextContinuationToken;
  } while (token !== undefined);
  out["pages"] = pages;
  const under = await s3.send(new ListObjectsV2Command({ Bucket: "side", Prefix: "a/", Delimiter: "/" }));
  out["under"] = [under.Contents?.map((o) => o.Key), under.CommonPrefixes?.map((p) => p.Prefix)];

  const deleted = await s3.send(
    new DeleteObjectsCommand({ Bucket: "side", Delete: { Objects: [{ Key: "c" }, { Key: "never" }] } }),
  );
  out["deleted"] = deleted.Deleted?.map((d) => d.Key).sort();
  out["missingKey"] = await code(s3.send(new GetObjectCommand({ Bucket: "side", Key: "c" })));
  out["missingBucket"] = await code(s3.send(new GetObjectCommand({ Bucket: "nothing-here", Key: "x" })));
  return { out, multipartEtag };
}

const client = (endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) => {
  const s3 = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, credentials, maxAttempts: 1 });
  onTestFinished(() => {
    s3.destroy();
  });
  return s3;
};

describe("emulator S3 beside s3rver", () => {
  it("answers the same requests as s3rver with the same results", async () => {
    const { emulator } = await s3Emulator();
    const ours = await exercise(client(emulator.url, TEST_CREDENTIALS));
    const theirs = await exercise(client(await startS3rver(), S3RVER_KEYS));
    expect(ours.out).toEqual(theirs.out);
    expect(ours.out).toMatchObject({ multipartBytes: true, range: ["bytes 1000-1999/300000", true] });
    expect(ours.multipartEtag).toMatch(/^"[0-9a-f]{32}-2"$/);
  }, 60_000);
});
