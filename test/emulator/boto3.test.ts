// The emulator driven by boto3 from the machine's Python (an independent client), strict signatures.
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { TEST_CREDENTIALS, testEmulator } from "./helpers.ts";
import { pythonWithBoto3 } from "../helpers/tools.ts";

// The script prints one JSON object of observations; the test asserts on them.
const SCRIPT = String.raw`
import json, sys, io, hashlib
import boto3, botocore.utils
from botocore.exceptions import ClientError
url = sys.argv[1]
g = boto3.client("glacier", endpoint_url=url, region_name="us-east-1")
out = {}
for i in range(12):
    g.create_vault(vaultName="v%02d" % i)
pages = g.get_paginator("list_vaults").paginate()
out["vaults"] = [v["VaultName"] for p in pages for v in p["VaultList"]]
data = bytes((i * 7 + 3) % 256 for i in range(3 * 1024 * 1024 + 5))
up = g.upload_archive(vaultName="v00", body=data, archiveDescription="boto3 single")
out["single_ok"] = up["checksum"] == botocore.utils.calculate_tree_hash(io.BytesIO(data))
mp = g.initiate_multipart_upload(vaultName="v00", partSize=str(1024 * 1024))
for start in range(0, len(data), 1024 * 1024):
    part = data[start:start + 1024 * 1024]
    g.upload_multipart_part(vaultName="v00", uploadId=mp["uploadId"],
                            range="bytes %d-%d/*" % (start, start + len(part) - 1), body=part)
done = g.complete_multipart_upload(vaultName="v00", uploadId=mp["uploadId"], archiveSize=str(len(data)),
                                   checksum=botocore.utils.calculate_tree_hash(io.BytesIO(data)))
job = g.initiate_job(vaultName="v00",
                     jobParameters={"Type": "archive-retrieval", "ArchiveId": done["archiveId"], "Tier": "Expedited"})
d = g.describe_job(vaultName="v00", jobId=job["jobId"])
out["job_status"] = d["StatusCode"]
r = g.get_job_output(vaultName="v00", jobId=job["jobId"], range="bytes=0-2097151")
body = r["body"].read()
out["range_status"] = r["status"]
out["range_ok"] = body == data[:2097152] and r["checksum"] == botocore.utils.calculate_tree_hash(io.BytesIO(body))
g.delete_archive(vaultName="v00", archiveId=up["archiveId"])
try:
    g.describe_vault(vaultName="missing")
except ClientError as e:
    out["missing"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
try:
    g.upload_archive(vaultName="v00", body=b"abc", checksum="0" * 64)
except ClientError as e:
    out["mismatch"] = e.response["Error"]["Message"]
print(json.dumps(out))
`;

describe("emulator with boto3", () => {
  it("serves vaults, uploads, multipart, a verified ranged job output and error codes to boto3", async () => {
    const { emulator } = await testEmulator({ auth: "strict", credentials: TEST_CREDENTIALS });
    const result = await execa(await pythonWithBoto3(), ["-c", SCRIPT, emulator.url], {
      env: {
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      },
      reject: false,
    });
    expect(result.stderr).toBe("");
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(out).toEqual({
      vaults: Array.from({ length: 12 }, (_, i) => `v${String(i).padStart(2, "0")}`),
      single_ok: true,
      job_status: "Succeeded",
      range_status: 206,
      range_ok: true,
      missing: ["ResourceNotFoundException", 404],
      mismatch:
        `Checksum mismatch: expected ${"0".repeat(64)}, computed ` +
        `ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad`,
    });
  }, 60_000);
});
