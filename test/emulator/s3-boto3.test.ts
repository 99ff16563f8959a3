// The emulator's S3 API driven by boto3 (the machine's Python), signatures checked (strict): listing
// with pagination and delimiters, checksums validated by botocore on download, DeleteObjects,
// RestoreObject on the emulator's virtual clock, virtual-hosted addressing.
import { describe, expect, it } from "vitest";
import { BOTO3_PRELUDE, s3Emulator } from "./s3-helpers.ts";

const LISTING =
  BOTO3_PRELUDE +
  String.raw`
s3.create_bucket(Bucket="list-me")
keys = ["a/1", "a/2", "a/b/3", "b+plus", "c d/space", "z", "\u00e9t\u00e9"]
for k in keys:
    s3.put_object(Bucket="list-me", Key=k, Body=k.encode(), Metadata={"name": "x"})
pages = s3.get_paginator("list_objects_v2").paginate(Bucket="list-me", PaginationConfig={"PageSize": 2})
out["all"] = [o["Key"] for p in pages for o in p.get("Contents", [])]
top = s3.list_objects_v2(Bucket="list-me", Delimiter="/")
out["top"] = [[o["Key"] for o in top.get("Contents", [])], [c["Prefix"] for c in top.get("CommonPrefixes", [])]]
under = s3.get_paginator("list_objects_v2").paginate(
    Bucket="list-me", Prefix="a/", Delimiter="/", PaginationConfig={"PageSize": 1})
out["under_a"] = [
    [o["Key"] for o in p.get("Contents", [])] + [c["Prefix"] for c in p.get("CommonPrefixes", [])] for p in under]
v1 = s3.get_paginator("list_objects").paginate(Bucket="list-me", PaginationConfig={"PageSize": 3})
out["v1"] = [o["Key"] for p in v1 for o in p.get("Contents", [])]
d = s3.delete_objects(Bucket="list-me", Delete={"Objects": [{"Key": "a/1"}, {"Key": "z"}, {"Key": "never"}]})
out["deleted"] = sorted(x["Key"] for x in d["Deleted"])
out["after"] = [o["Key"] for o in s3.list_objects_v2(Bucket="list-me")["Contents"]]
out["not_empty"] = err(s3.delete_bucket, Bucket="list-me")
out["no_bucket"] = err(s3.list_objects_v2, Bucket="nope-nope")
print(json.dumps(out))
`;

const CHECKSUMS =
  BOTO3_PRELUDE +
  String.raw`
import hashlib, base64, io
s3.create_bucket(Bucket="sums")
data = bytes((i * 13 + 1) % 256 for i in range(300000))
for alg in ["CRC32", "SHA1", "SHA256"]:
    r = s3.put_object(Bucket="sums", Key=alg, Body=data, ChecksumAlgorithm=alg)
    g = s3.get_object(Bucket="sums", Key=alg, ChecksumMode="ENABLED")
    body = g["Body"].read()
    out[alg] = [r.get("Checksum" + alg) == g.get("Checksum" + alg), body == data, g.get("ChecksumType")]
plain = s3.put_object(Bucket="sums", Key="plain", Body=data)
out["default"] = [sorted(k for k in plain if k.startswith("Checksum")),
                  s3.head_object(Bucket="sums", Key="plain", ChecksumMode="ENABLED").get("ChecksumType")]
md5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()
out["bad_md5"] = err(s3.put_object, Bucket="sums", Key="bad", Body=data, ContentMD5=md5)
out["bad_sha"] = err(s3.put_object, Bucket="sums", Key="bad", Body=data,
                     ChecksumSHA256=base64.b64encode(hashlib.sha256(b"x").digest()).decode())
out["bad_absent"] = err(s3.head_object, Bucket="sums", Key="bad")
# Multipart through s3transfer (boto3's upload_fileobj): 3 parts of 5 MiB.
from boto3.s3.transfer import TransferConfig
big = bytes((i * 7 + 3) % 256 for i in range(11 * 1024 * 1024))
cfg = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
s3.upload_fileobj(io.BytesIO(big), "sums", "big", Config=cfg,
                  ExtraArgs={"StorageClass": "GLACIER_IR", "Metadata": {"tree": "t"}})
h = s3.head_object(Bucket="sums", Key="big", ChecksumMode="ENABLED")
got = io.BytesIO()
s3.download_fileobj("sums", "big", got, Config=cfg)
out["big"] = [h["ContentLength"], h["StorageClass"], h["Metadata"], h["ETag"].endswith('-3"'), got.getvalue() == big]
full = s3.create_multipart_upload(Bucket="sums", Key="full", ChecksumAlgorithm="CRC32", ChecksumType="FULL_OBJECT")
parts = []
for n, start in enumerate(range(0, len(big), 6 * 1024 * 1024), 1):
    p = s3.upload_part(Bucket="sums", Key="full", UploadId=full["UploadId"], PartNumber=n,
                       Body=big[start:start + 6 * 1024 * 1024], ChecksumAlgorithm="CRC32")
    parts.append({"PartNumber": n, "ETag": p["ETag"], "ChecksumCRC32": p["ChecksumCRC32"]})
done = s3.complete_multipart_upload(Bucket="sums", Key="full", UploadId=full["UploadId"],
                                    MultipartUpload={"Parts": parts})
import zlib
whole_crc = base64.b64encode((zlib.crc32(big) & 0xffffffff).to_bytes(4, "big")).decode()
out["full"] = [done.get("ChecksumType"), done.get("ChecksumCRC32") == whole_crc]
out["small_part"] = None
sm = s3.create_multipart_upload(Bucket="sums", Key="small")
a = s3.upload_part(Bucket="sums", Key="small", UploadId=sm["UploadId"], PartNumber=1, Body=b"tiny")
b = s3.upload_part(Bucket="sums", Key="small", UploadId=sm["UploadId"], PartNumber=2, Body=b"tiny")
out["small_part"] = err(s3.complete_multipart_upload, Bucket="sums", Key="small", UploadId=sm["UploadId"],
                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": a["ETag"]},
                                                   {"PartNumber": 2, "ETag": b["ETag"]}]})
out["wrong_etag"] = err(s3.complete_multipart_upload, Bucket="sums", Key="small", UploadId=sm["UploadId"],
                        MultipartUpload={"Parts": [
                            {"PartNumber": 1, "ETag": b["ETag"].replace("a", "b").replace("1", "2")}]})
r = s3.get_object(Bucket="sums", Key="plain", Range="bytes=-10")
out["suffix"] = [r["ContentRange"], r["Body"].read() == data[-10:]]
out["unsatisfiable"] = err(s3.get_object, Bucket="sums", Key="plain", Range="bytes=400000-")
print(json.dumps(out))
`;

const RESTORE =
  BOTO3_PRELUDE +
  String.raw`
s3.create_bucket(Bucket="cold")
for cls in ["GLACIER", "DEEP_ARCHIVE", "STANDARD", "GLACIER_IR"]:
    s3.put_object(Bucket="cold", Key=cls, Body=cls.encode() * 100, StorageClass=cls)
out["get_archived"] = err(s3.get_object, Bucket="cold", Key="DEEP_ARCHIVE")
out["ir_reads"] = s3.get_object(Bucket="cold", Key="GLACIER_IR")["Body"].read() == b"GLACIER_IR" * 100
out["standard_restore"] = err(s3.restore_object, Bucket="cold", Key="STANDARD", RestoreRequest={"Days": 1})
out["expedited_deep"] = err(s3.restore_object, Bucket="cold", Key="DEEP_ARCHIVE",
                            RestoreRequest={"Days": 1, "GlacierJobParameters": {"Tier": "Expedited"}})
first = s3.restore_object(Bucket="cold", Key="DEEP_ARCHIVE",
                          RestoreRequest={"Days": 2, "GlacierJobParameters": {"Tier": "Standard"}})
out["first"] = first["ResponseMetadata"]["HTTPStatusCode"]
out["again"] = err(s3.restore_object, Bucket="cold", Key="DEEP_ARCHIVE",
                   RestoreRequest={"Days": 2, "GlacierJobParameters": {"Tier": "Standard"}})
out["head_ongoing"] = s3.head_object(Bucket="cold", Key="DEEP_ARCHIVE").get("Restore")
listed = s3.list_objects_v2(Bucket="cold", OptionalObjectAttributes=["RestoreStatus"])
out["list_ongoing"] = {o["Key"]: o.get("RestoreStatus") for o in listed["Contents"]}
out["get_ongoing"] = err(s3.get_object, Bucket="cold", Key="DEEP_ARCHIVE")
advance(11 * 3600)
out["still_ongoing"] = s3.head_object(Bucket="cold", Key="DEEP_ARCHIVE").get("Restore")
advance(3600)
out["head_done"] = s3.head_object(Bucket="cold", Key="DEEP_ARCHIVE").get("Restore")
out["read"] = s3.get_object(Bucket="cold", Key="DEEP_ARCHIVE")["Body"].read() == b"DEEP_ARCHIVE" * 100
again = s3.restore_object(Bucket="cold", Key="DEEP_ARCHIVE", RestoreRequest={"Days": 2})
out["restored_again"] = again["ResponseMetadata"]["HTTPStatusCode"]
listed = s3.list_objects_v2(Bucket="cold", OptionalObjectAttributes=["RestoreStatus"])
out["list_done"] = {o["Key"]: str(o.get("RestoreStatus")) for o in listed["Contents"] if o["Key"] == "DEEP_ARCHIVE"}
advance(3 * 86400)
out["expired"] = [s3.head_object(Bucket="cold", Key="DEEP_ARCHIVE").get("Restore"),
                  err(s3.get_object, Bucket="cold", Key="DEEP_ARCHIVE")]
s3.restore_object(Bucket="cold", Key="GLACIER",
                  RestoreRequest={"Days": 1, "GlacierJobParameters": {"Tier": "Expedited"}})
advance(5 * 60)
out["glacier_expedited"] = s3.get_object(Bucket="cold", Key="GLACIER")["Body"].read() == b"GLACIER" * 100
print(json.dumps(out, default=str))
`;

const VIRTUAL = String.raw`
import json, sys, socket
real = socket.getaddrinfo
# *.localhost names do not resolve on every machine: send them to the loopback address.
socket.getaddrinfo = lambda host, *a, **k: real("127.0.0.1" if str(host).endswith("localhost") else host, *a, **k)
import boto3
from botocore.config import Config
port = sys.argv[1].rsplit(":", 1)[1]
out = {}
for endpoint in ["http://localhost:" + port, "http://s3.localhost:" + port]:
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      config=Config(s3={"addressing_style": "virtual"}))
    name = "virt-" + endpoint.split("//")[1].split(":")[0].replace(".", "-")
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="dir/k", Body=b"hello")
    out[name] = [s3.get_object(Bucket=name, Key="dir/k")["Body"].read().decode(),
                 [o["Key"] for o in s3.list_objects_v2(Bucket=name)["Contents"]]]
path = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                    config=Config(s3={"addressing_style": "path"}))
out["path_sees"] = sorted(b["Name"] for b in path.list_buckets()["Buckets"])
print(json.dumps(out))
`;

describe("emulator S3 with boto3", () => {
  it(
    "lists keys in byte order across pages, with prefixes, delimiters and v1 markers, and deletes several at " + "once",
    async () => {
      const { python } = await s3Emulator();
      const { out, stderr } = await python(LISTING);
      expect(stderr).toBe("");
      expect(out).toEqual({
        all: ["a/1", "a/2", "a/b/3", "b+plus", "c d/space", "z", "été"],
        top: [
          ["b+plus", "z", "été"],
          ["a/", "c d/"],
        ],
        under_a: [["a/1"], ["a/2"], ["a/b/"]],
        v1: ["a/1", "a/2", "a/b/3", "b+plus", "c d/space", "z", "été"],
        deleted: ["a/1", "never", "z"],
        after: ["a/2", "a/b/3", "b+plus", "c d/space", "été"],
        not_empty: ["BucketNotEmpty", 409],
        no_bucket: ["NoSuchBucket", 404],
      });
    },
    120_000,
  );

  it(
    "stores and returns the checksums botocore sends and verifies, refuses wrong ones, and completes multipart " +
      "uploads",
    async () => {
      const { python } = await s3Emulator();
      const { out, stderr } = await python(CHECKSUMS);
      expect(stderr).toBe("");
      expect(out).toEqual({
        CRC32: [true, true, "FULL_OBJECT"],
        SHA1: [true, true, "FULL_OBJECT"],
        SHA256: [true, true, "FULL_OBJECT"],
        default: [expect.arrayContaining(["ChecksumType"]), "FULL_OBJECT"],
        bad_md5: ["BadDigest", 400],
        bad_sha: ["BadDigest", 400],
        bad_absent: ["404", 404],
        big: [11 * 1024 * 1024, "GLACIER_IR", { tree: "t" }, true, true],
        full: ["FULL_OBJECT", true],
        small_part: ["EntityTooSmall", 400],
        wrong_etag: ["InvalidPart", 400],
        suffix: ["bytes 299990-299999/300000", true],
        unsatisfiable: ["InvalidRange", 416],
      });
    },
    180_000,
  );

  it(
    "restores GLACIER and DEEP_ARCHIVE objects on the virtual clock: 202, 409 while running, readable, 200, " +
      "expired",
    async () => {
      const { python } = await s3Emulator();
      const { out, stderr } = await python(RESTORE);
      expect(stderr).toBe("");
      expect(out).toMatchObject({
        get_archived: ["InvalidObjectState", 403],
        ir_reads: true,
        standard_restore: ["InvalidObjectState", 403],
        expedited_deep: ["InvalidArgument", 400],
        first: 202,
        again: ["RestoreAlreadyInProgress", 409],
        head_ongoing: 'ongoing-request="true"',
        list_ongoing: { DEEP_ARCHIVE: { IsRestoreInProgress: true } },
        get_ongoing: ["InvalidObjectState", 403],
        still_ongoing: 'ongoing-request="true"',
        read: true,
        restored_again: 200,
        expired: [null, ["InvalidObjectState", 403]],
        glacier_expedited: true,
      });
      expect(out["head_done"]).toMatch(/^ongoing-request="false", expiry-date="\w{3}, \d\d \w{3} \d{4} 00:00:00 GMT"$/);
      expect(out["list_done"]).toEqual({
        DEEP_ARCHIVE: expect.stringMatching(/'IsRestoreInProgress': False, 'RestoreExpiryDate': datetime/) as unknown,
      });
      expect(Object.keys(out["list_ongoing"] as object)).toEqual(["DEEP_ARCHIVE", "GLACIER", "GLACIER_IR", "STANDARD"]);
    },
    120_000,
  );

  it(
    "serves virtual-hosted requests (bucket.localhost, bucket.s3.localhost) and path-style ones from the same " +
      "buckets",
    async () => {
      const { python } = await s3Emulator();
      const { out, stderr } = await python(VIRTUAL);
      expect(stderr).toBe("");
      expect(out).toEqual({
        "virt-localhost": ["hello", ["dir/k"]],
        "virt-s3-localhost": ["hello", ["dir/k"]],
        path_sees: ["virt-localhost", "virt-s3-localhost"],
      });
    },
    120_000,
  );
});
