// Bucket versioning in the emulator, driven by clients we did not write: the AWS CLI (`aws s3api`)
// and boto3, signatures checked (strict). Version ids on PUT and multipart completion, GET/HEAD/
// DELETE/RestoreObject of a version, delete markers, ListObjectVersions with prefix and pagination,
// suspended versioning writing the null version.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOTO3_PRELUDE, s3Emulator } from "./s3-helpers.ts";

describe("emulator S3 versioning with the AWS CLI", () => {
  it("keeps every version, reads and deletes one by id, and hides a key behind its delete marker", async () => {
    const { aws, dataDir } = await s3Emulator();
    await aws("s3api", "create-bucket", "--bucket", "ver");
    expect((await aws("s3api", "get-bucket-versioning", "--bucket", "ver")).json).toEqual({});
    const on = await aws(
      "s3api",
      "put-bucket-versioning",
      "--bucket",
      "ver",
      "--versioning-configuration",
      "Status=Enabled",
    );
    expect(on.exitCode, on.stderr).toBe(0);
    expect((await aws("s3api", "get-bucket-versioning", "--bucket", "ver")).json).toEqual({ Status: "Enabled" });

    const ids: string[] = [];
    for (const text of ["first", "second"]) {
      await writeFile(join(dataDir, "in.txt"), text);
      const put = await aws(
        "s3api",
        "put-object",
        "--bucket",
        "ver",
        "--key",
        "tm/band",
        "--body",
        join(dataDir, "in.txt"),
      );
      expect(put.exitCode, put.stderr).toBe(0);
      ids.push(put.json["VersionId"] as string);
    }
    const [first, second] = ids as [string, string];
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(second).not.toBe(first);

    const out = join(dataDir, "out.txt");
    const old = await aws("s3api", "get-object", "--bucket", "ver", "--key", "tm/band", "--version-id", first, out);
    expect(old.json["VersionId"]).toBe(first);
    expect(await readFile(out, "utf8")).toBe("first");
    const head = await aws("s3api", "head-object", "--bucket", "ver", "--key", "tm/band");
    expect(head.json).toMatchObject({ VersionId: ids[1], ContentLength: 6 });

    const deleted = await aws("s3api", "delete-object", "--bucket", "ver", "--key", "tm/band");
    expect(deleted.json).toMatchObject({ DeleteMarker: true });
    const marker = deleted.json["VersionId"] as string;
    const gone = await aws("s3api", "get-object", "--bucket", "ver", "--key", "tm/band", out);
    expect(gone.stderr).toContain("NoSuchKey");
    expect((await aws("s3api", "list-objects-v2", "--bucket", "ver")).json["Contents"]).toBeUndefined();
    const onMarker = await aws("s3api", "head-object", "--bucket", "ver", "--key", "tm/band", "--version-id", marker);
    expect(onMarker.stderr).toContain("405");

    const listed = await aws("s3api", "list-object-versions", "--bucket", "ver", "--prefix", "tm/");
    expect(
      (listed.json["Versions"] as { VersionId: string; IsLatest: boolean }[]).map((v) => [v.VersionId, v.IsLatest]),
    ).toEqual([
      [ids[1], false],
      [ids[0], false],
    ]);
    expect(listed.json["DeleteMarkers"]).toEqual([
      expect.objectContaining({ Key: "tm/band", VersionId: marker, IsLatest: true }),
    ]);

    // Deleting the marker brings the newest version back.
    const unmark = await aws("s3api", "delete-object", "--bucket", "ver", "--key", "tm/band", "--version-id", marker);
    expect(unmark.json).toMatchObject({ DeleteMarker: true, VersionId: marker });
    await aws("s3api", "get-object", "--bucket", "ver", "--key", "tm/band", out);
    expect(await readFile(out, "utf8")).toBe("second");
    const noSuch = await aws(
      "s3api",
      "get-object",
      "--bucket",
      "ver",
      "--key",
      "tm/band",
      "--version-id",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      out,
    );
    expect(noSuch.stderr).toContain("NoSuchVersion");

    // A bucket with versions left cannot be deleted; removing every version empties it.
    expect(
      (await aws("s3api", "delete-object", "--bucket", "ver", "--key", "tm/band", "--version-id", second)).exitCode,
    ).toBe(0);
    expect((await aws("s3api", "delete-bucket", "--bucket", "ver")).stderr).toContain("BucketNotEmpty");
    expect(
      (await aws("s3api", "delete-object", "--bucket", "ver", "--key", "tm/band", "--version-id", first)).exitCode,
    ).toBe(0);
    expect((await aws("s3api", "delete-bucket", "--bucket", "ver")).exitCode).toBe(0);
  }, 120_000);
});

const VERSIONS =
  BOTO3_PRELUDE +
  String.raw`
s3.create_bucket(Bucket="hist")
s3.put_object(Bucket="hist", Key="a/0", Body=b"before versioning")
s3.put_bucket_versioning(Bucket="hist", VersioningConfiguration={"Status": "Enabled"})
ids = {}
for key in ["a/0", "a/1", "b/2"]:
    ids[key] = [s3.put_object(Bucket="hist", Key=key, Body=(key + " v%d" % i).encode())["VersionId"] for i in range(2)]
mpu = s3.create_multipart_upload(Bucket="hist", Key="a/1", StorageClass="DEEP_ARCHIVE")
part = s3.upload_part(Bucket="hist", Key="a/1", UploadId=mpu["UploadId"], PartNumber=1, Body=b"x" * 1000)
done = s3.complete_multipart_upload(Bucket="hist", Key="a/1", UploadId=mpu["UploadId"],
                                    MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
ids["a/1"].append(done["VersionId"])
pages = s3.get_paginator("list_object_versions").paginate(Bucket="hist", Prefix="a/", PaginationConfig={"PageSize": 2})
out["pages"] = [[[v["Key"], v["VersionId"], v["IsLatest"]] for v in p.get("Versions", [])] for p in pages]
out["ids"] = ids
out["null_get"] = s3.get_object(Bucket="hist", Key="a/0", VersionId="null")["Body"].read().decode()
# Restore one archived version by id, on the virtual clock.
restored = s3.restore_object(Bucket="hist", Key="a/1", VersionId=done["VersionId"],
                             RestoreRequest={"Days": 1, "GlacierJobParameters": {"Tier": "Standard"}})
out["restore"] = restored["ResponseMetadata"]["HTTPStatusCode"]
out["archived_get"] = err(s3.get_object, Bucket="hist", Key="a/1")
advance(12 * 3600)
out["restored"] = s3.head_object(Bucket="hist", Key="a/1", VersionId=done["VersionId"]).get("Restore")
out["old_readable"] = s3.get_object(Bucket="hist", Key="a/1", VersionId=ids["a/1"][0])["Body"].read().decode()
# Suspended: new writes are the null version, replacing the null version only.
s3.put_bucket_versioning(Bucket="hist", VersioningConfiguration={"Status": "Suspended"})
r = s3.put_object(Bucket="hist", Key="a/0", Body=b"suspended")
out["suspended_id"] = r.get("VersionId")
versions = s3.list_object_versions(Bucket="hist", Prefix="a/0")
out["a0"] = [[v["VersionId"], v["IsLatest"]] for v in versions["Versions"]]
d = s3.delete_objects(Bucket="hist", Delete={"Objects": [{"Key": "b/2"}, {"Key": "b/2", "VersionId": ids["b/2"][0]}]})
out["deleted"] = sorted(([x["Key"], x.get("VersionId"), x.get("DeleteMarker", False)] for x in d["Deleted"]),
                        key=lambda x: x[1] or "")
b = s3.list_object_versions(Bucket="hist", Prefix="b/")
out["b_after"] = [[v["VersionId"], v["IsLatest"]] for v in b.get("Versions", [])]
out["b_marker"] = [[m["VersionId"], m["IsLatest"]] for m in b.get("DeleteMarkers", [])]
out["bad_id"] = err(s3.get_object, Bucket="hist", Key="a/0", VersionId="bad id!")
print(json.dumps(out))
`;

describe("emulator S3 versioning with boto3", () => {
  it("lists versions newest first in pages, restores and reads one by id, writes null when suspended", async () => {
    const { python } = await s3Emulator();
    const { out, stderr, exitCode } = await python(VERSIONS);
    expect(exitCode, stderr).toBe(0);
    const ids = out["ids"] as Record<"a/0" | "a/1" | "b/2", string[]>;
    const a1 = ids["a/1"];
    const a0 = ids["a/0"];
    expect(out["pages"]).toEqual([
      [
        ["a/0", a0[1], true],
        ["a/0", a0[0], false],
      ],
      [
        ["a/0", "null", false],
        ["a/1", a1[2], true],
      ],
      [
        ["a/1", a1[1], false],
        ["a/1", a1[0], false],
      ],
    ]);
    expect(out["null_get"]).toBe("before versioning");
    expect(out["restore"]).toBe(202);
    expect(out["archived_get"]).toEqual(["InvalidObjectState", 403]);
    expect(out["restored"]).toMatch(/^ongoing-request="false", expiry-date=/);
    expect(out["old_readable"]).toBe("a/1 v0");
    expect(out["suspended_id"]).toBe("null");
    // The suspended write replaced the old null version and pushed the two versioned ones down.
    expect(out["a0"]).toEqual([
      ["null", true],
      [a0[1], false],
      [a0[0], false],
    ]);
    const b2 = ids["b/2"];
    expect(out["deleted"]).toEqual([
      ["b/2", null, true],
      ["b/2", b2[0], false],
    ]);
    expect(out["b_after"]).toEqual([[b2[1], false]]);
    expect(out["b_marker"]).toEqual([["null", true]]);
    expect(out["bad_id"]).toEqual(["InvalidArgument", 400]);
  }, 120_000);
});
