// The emulator's S3 API driven by the AWS CLI (`aws s3api`, `aws s3 cp`), signatures checked (strict).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bytes } from "./helpers.ts";
import { s3Emulator } from "./s3-helpers.ts";

describe("emulator S3 with the AWS CLI", () => {
  it("creates, heads, lists and deletes buckets", async () => {
    const { aws } = await s3Emulator();
    expect((await aws("s3api", "create-bucket", "--bucket", "alpha")).exitCode).toBe(0);
    expect((await aws("s3api", "create-bucket", "--bucket", "beta")).exitCode).toBe(0);
    expect((await aws("s3api", "head-bucket", "--bucket", "alpha")).exitCode).toBe(0);
    const listed = await aws("s3api", "list-buckets");
    expect((listed.json["Buckets"] as { Name: string }[]).map((b) => b.Name)).toEqual(["alpha", "beta"]);
    expect((await aws("s3api", "delete-bucket", "--bucket", "beta")).exitCode).toBe(0);
    const missing = await aws("s3api", "head-bucket", "--bucket", "beta");
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toContain("404");
    const bad = await aws("s3api", "create-bucket", "--bucket", "Bad_Name");
    expect(bad.stderr).toContain("InvalidBucketName");
  }, 60_000);

  it("puts an object with metadata and a storage class, heads it with its checksum and gets a range", async () => {
    const { aws, dataDir } = await s3Emulator();
    await aws("s3api", "create-bucket", "--bucket", "bkt");
    const data = bytes(100_000);
    await writeFile(join(dataDir, "in.bin"), data);
    const put = await aws(
      "s3api",
      "put-object",
      "--bucket",
      "bkt",
      "--key",
      "dir/file one.bin",
      "--body",
      join(dataDir, "in.bin"),
      "--metadata",
      "treehash=abc,origin=test",
      "--storage-class",
      "GLACIER_IR",
      "--checksum-algorithm",
      "SHA256",
    );
    expect(put.exitCode, put.stderr).toBe(0);
    expect(put.json["ChecksumSHA256"]).toBe(
      (await import("node:crypto")).createHash("sha256").update(data).digest("base64"),
    );
    const head = await aws(
      "s3api",
      "head-object",
      "--bucket",
      "bkt",
      "--key",
      "dir/file one.bin",
      "--checksum-mode",
      "ENABLED",
    );
    expect(head.json).toMatchObject({
      ContentLength: 100_000,
      StorageClass: "GLACIER_IR",
      Metadata: { treehash: "abc", origin: "test" },
      ChecksumType: "FULL_OBJECT",
    });
    const out = join(dataDir, "out.bin");
    const got = await aws(
      "s3api",
      "get-object",
      "--bucket",
      "bkt",
      "--key",
      "dir/file one.bin",
      "--range",
      "bytes=1000-1999",
      out,
    );
    expect(got.json).toMatchObject({ ContentRange: "bytes 1000-1999/100000", ContentLength: 1000 });
    expect(await readFile(out)).toEqual(data.subarray(1000, 2000));
  }, 60_000);

  it("copies a file large enough for multipart with aws s3 cp and back, byte for byte", async () => {
    const { aws, dataDir } = await s3Emulator();
    await aws("s3api", "create-bucket", "--bucket", "big");
    const data = bytes(20 * 1024 * 1024 + 12345, 5);
    await writeFile(join(dataDir, "big.bin"), data);
    const up = await aws("s3", "cp", join(dataDir, "big.bin"), "s3://big/x/big.bin", "--storage-class", "STANDARD");
    expect(up.exitCode, up.stderr).toBe(0);
    const head = await aws("s3api", "head-object", "--bucket", "big", "--key", "x/big.bin");
    expect(head.json["ETag"]).toMatch(/^"[0-9a-f]{32}-3"$/);
    const down = await aws("s3", "cp", "s3://big/x/big.bin", join(dataDir, "back.bin"));
    expect(down.exitCode, down.stderr).toBe(0);
    expect((await readFile(join(dataDir, "back.bin"))).equals(data)).toBe(true);
    const ls = await aws("s3", "ls", "s3://big/", "--recursive");
    expect(ls.stdout).toContain("x/big.bin");
  }, 120_000);

  it(
    "runs the multipart operations one by one: create, " + "upload part, list parts, list uploads, abort, complete",
    async () => {
      const { aws, dataDir } = await s3Emulator();
      await aws("s3api", "create-bucket", "--bucket", "mpu");
      const parts = [bytes(5 * 1024 * 1024, 1), bytes(1000, 2)];
      const create = await aws(
        "s3api",
        "create-multipart-upload",
        "--bucket",
        "mpu",
        "--key",
        "k",
        "--storage-class",
        "DEEP_ARCHIVE",
        "--checksum-algorithm",
        "CRC32",
      );
      const uploadId = create.json["UploadId"] as string;
      const etags: string[] = [];
      for (const [i, part] of parts.entries()) {
        await writeFile(join(dataDir, `p${i}`), part);
        const r = await aws(
          "s3api",
          "upload-part",
          "--bucket",
          "mpu",
          "--key",
          "k",
          "--part-number",
          String(i + 1),
          `--upload-id=${uploadId}`,
          "--body",
          join(dataDir, `p${i}`),
          "--checksum-algorithm",
          "CRC32",
        );
        expect(r.exitCode, r.stderr).toBe(0);
        etags.push(r.json["ETag"] as string);
      }
      const listed = await aws("s3api", "list-parts", "--bucket", "mpu", "--key", "k", `--upload-id=${uploadId}`);
      expect((listed.json["Parts"] as { Size: number }[]).map((p) => p.Size)).toEqual([5 * 1024 * 1024, 1000]);
      const uploads = await aws("s3api", "list-multipart-uploads", "--bucket", "mpu");
      expect((uploads.json["Uploads"] as { UploadId: string }[]).map((u) => u.UploadId)).toEqual([uploadId]);
      const other = await aws("s3api", "create-multipart-upload", "--bucket", "mpu", "--key", "gone");
      expect(
        (
          await aws(
            "s3api",
            "abort-multipart-upload",
            "--bucket",
            "mpu",
            "--key",
            "gone",
            `--upload-id=${other.json["UploadId"] as string}`,
          )
        ).exitCode,
      ).toBe(0);
      const checksums = (listed.json["Parts"] as { ChecksumCRC32: string }[]).map((p) => p.ChecksumCRC32);
      const done = await aws(
        "s3api",
        "complete-multipart-upload",
        "--bucket",
        "mpu",
        "--key",
        "k",
        `--upload-id=${uploadId}`,
        "--multipart-upload",
        JSON.stringify({ Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1, ChecksumCRC32: checksums[i] })) }),
      );
      expect(done.exitCode, done.stderr).toBe(0);
      expect(done.json["ChecksumCRC32"]).toMatch(/-2$/);
      const head = await aws("s3api", "head-object", "--bucket", "mpu", "--key", "k");
      expect(head.json).toMatchObject({ StorageClass: "DEEP_ARCHIVE", ContentLength: 5 * 1024 * 1024 + 1000 });
      const get = await aws("s3api", "get-object", "--bucket", "mpu", "--key", "k", join(dataDir, "o"));
      expect(get.stderr).toContain("InvalidObjectState");
      expect((await aws("s3api", "list-multipart-uploads", "--bucket", "mpu")).json["Uploads"]).toBeUndefined();
    },
    240_000,
  );
});
