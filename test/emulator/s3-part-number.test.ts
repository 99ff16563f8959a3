// GetObject and HeadObject `partNumber` on the emulator, driven by clients we did not write: boto3
// (with botocore's own response checksum validation) and the AWS CLI's `get-object --part-number`.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BOTO3_PRELUDE, s3Emulator, testDir } from "./s3-helpers.ts";

const MiB = 1024 * 1024;

const PARTS =
  BOTO3_PRELUDE +
  String.raw`
import hashlib, base64
s3.create_bucket(Bucket="parts")
sizes = [5 * 1024 * 1024, 5 * 1024 * 1024, 1000]
data = bytes((i * 31 + 7) % 251 for i in range(sum(sizes)))
up = s3.create_multipart_upload(Bucket="parts", Key="obj", ChecksumAlgorithm="SHA256", StorageClass="GLACIER_IR")
done, start = [], 0
for n, size in enumerate(sizes, 1):
    p = s3.upload_part(Bucket="parts", Key="obj", UploadId=up["UploadId"], PartNumber=n,
                       Body=data[start:start + size], ChecksumAlgorithm="SHA256")
    done.append({"PartNumber": n, "ETag": p["ETag"], "ChecksumSHA256": p["ChecksumSHA256"]})
    start += size
s3.complete_multipart_upload(Bucket="parts", Key="obj", UploadId=up["UploadId"], MultipartUpload={"Parts": done})
sha = lambda b: base64.b64encode(hashlib.sha256(b).digest()).decode()
got, start = [], 0
for n, size in enumerate(sizes, 1):
    g = s3.get_object(Bucket="parts", Key="obj", PartNumber=n, ChecksumMode="ENABLED")
    body = g["Body"].read()
    got.append([g["ResponseMetadata"]["HTTPStatusCode"], g.get("ContentRange"), g.get("PartsCount"),
                body == data[start:start + size], g.get("ChecksumSHA256") == sha(data[start:start + size])])
    start += size
out["get"] = got
h = s3.head_object(Bucket="parts", Key="obj", PartNumber=3, ChecksumMode="ENABLED")
out["head"] = [h["ContentLength"], h.get("PartsCount"), h.get("ContentRange"),
               h.get("ChecksumSHA256") == sha(data[-1000:])]
plain = s3.head_object(Bucket="parts", Key="obj", ChecksumMode="ENABLED")
out["whole"] = [plain["ContentLength"], "PartsCount" in plain, plain.get("ChecksumSHA256", "").endswith("-3")]
out["beyond"] = err(s3.get_object, Bucket="parts", Key="obj", PartNumber=4)
out["beyond_head"] = err(s3.head_object, Bucket="parts", Key="obj", PartNumber=4)
out["zero"] = err(s3.get_object, Bucket="parts", Key="obj", PartNumber=0)
out["with_range"] = err(s3.get_object, Bucket="parts", Key="obj", PartNumber=1, Range="bytes=0-9")
s3.put_object(Bucket="parts", Key="single", Body=b"one request", ChecksumAlgorithm="SHA256")
one = s3.get_object(Bucket="parts", Key="single", PartNumber=1, ChecksumMode="ENABLED")
out["single"] = [one["ResponseMetadata"]["HTTPStatusCode"], one["Body"].read().decode(),
                 one.get("ChecksumSHA256") == sha(b"one request"), "PartsCount" in one]
out["single_2"] = err(s3.get_object, Bucket="parts", Key="single", PartNumber=2)
print(json.dumps(out))
`;

describe("emulator S3: GetObject and HeadObject partNumber", () => {
  it("serves each part of a multipart object with its Content-Range, parts count and SHA-256 (boto3)", async () => {
    const { python } = await s3Emulator();
    const { out, stderr, exitCode } = await python(PARTS);
    expect(stderr).toBe("");
    expect(exitCode).toBe(0);
    const total = 10 * MiB + 1000;
    expect(out["get"]).toEqual([
      [206, `bytes 0-${5 * MiB - 1}/${total}`, 3, true, true],
      [206, `bytes ${5 * MiB}-${10 * MiB - 1}/${total}`, 3, true, true],
      [206, `bytes ${10 * MiB}-${total - 1}/${total}`, 3, true, true],
    ]);
    expect(out["head"]).toEqual([1000, 3, `bytes ${10 * MiB}-${total - 1}/${total}`, true]);
    expect(out["whole"]).toEqual([total, false, true]);
    expect(out["beyond"]).toEqual(["InvalidPartNumber", 416]);
    expect(out["beyond_head"]).toEqual(["416", 416]);
    expect(out["zero"]).toEqual(["InvalidArgument", 400]);
    expect(out["with_range"]).toEqual(["InvalidRequest", 400]);
    expect(out["single"]).toEqual([200, "one request", true, false]);
    expect(out["single_2"]).toEqual(["InvalidPartNumber", 416]);
  });

  it("answers `aws s3api get-object --part-number` with that part's bytes", async () => {
    const { aws } = await s3Emulator();
    const dir = await testDir("glacier-s3-part-");
    const data = Buffer.alloc(9 * MiB + 17, 0);
    for (let i = 0; i < data.length; i++) data[i] = (i * 11 + 5) % 253;
    const source = join(dir, "source");
    await writeFile(source, data);
    expect((await aws("s3api", "create-bucket", "--bucket", "cli-parts")).exitCode).toBe(0);
    // aws s3 cp uploads in parts of 8 MiB above 8 MiB (its defaults): two parts.
    const copied = await aws("s3", "cp", source, "s3://cli-parts/obj", "--checksum-algorithm", "SHA256");
    expect(copied.exitCode).toBe(0);
    const args = ["s3api", "get-object", "--bucket", "cli-parts", "--key", "obj", "--checksum-mode", "ENABLED"];
    const part2 = await aws(...args, "--part-number", "2", join(dir, "part2"));
    expect(part2.stderr).toBe("");
    expect(part2.json["PartsCount"]).toBe(2);
    const second = data.subarray(8 * MiB);
    const got = await readFile(join(dir, "part2"));
    expect(got.equals(second)).toBe(true);
    expect(part2.json["ChecksumSHA256"]).toBe(createHash("sha256").update(second).digest("base64"));
    const beyond = await aws(...args, "--part-number", "3", join(dir, "part3"));
    expect(beyond.exitCode).not.toBe(0);
    expect(beyond.stderr).toContain("InvalidPartNumber");
  });
});
