// Multipart uploads through @aws-sdk/client-glacier against the emulator (docs/glacier-api.md#multipart-uploads).
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateVaultCommand,
  InitiateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  UploadMultipartPartCommand,
} from "@aws-sdk/client-glacier";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MiB, treeHash } from "../../src/core/tree-hash.ts";
import { bytes, testEmulator } from "./helpers.ts";

const acct = { accountId: "-", vaultName: "v" };

async function withVault() {
  const t = await testEmulator();
  await t.client.send(new CreateVaultCommand(acct));
  return t;
}

describe("emulator multipart uploads with the AWS SDK", () => {
  it("assembles parts sent out of order into one archive whose ID and tree hash are returned", async () => {
    const { client, emulator } = await withVault();
    const data = bytes(5 * MiB + 123);
    const { uploadId } = await client.send(
      new InitiateMultipartUploadCommand({ ...acct, partSize: String(2 * MiB), archiveDescription: "mp" }),
    );
    for (const start of [4 * MiB, 0, 2 * MiB]) {
      const part = data.subarray(start, Math.min(start + 2 * MiB, data.length));
      const out = await client.send(
        new UploadMultipartPartCommand({
          ...acct,
          uploadId,
          range: `bytes ${start}-${start + part.length - 1}/*`,
          body: part,
        }),
      );
      expect(out.checksum).toBe(treeHash(part));
    }
    const parts = await client.send(new ListPartsCommand({ ...acct, uploadId }));
    expect(parts.Parts?.map((p) => p.RangeInBytes)).toEqual([
      `0-${2 * MiB - 1}`,
      `${2 * MiB}-${4 * MiB - 1}`,
      `${4 * MiB}-${data.length - 1}`,
    ]);
    expect(parts.PartSizeInBytes).toBe(2 * MiB);
    const done = await client.send(
      new CompleteMultipartUploadCommand({
        ...acct,
        uploadId,
        archiveSize: String(data.length),
        checksum: treeHash(data),
      }),
    );
    expect(done.archiveId).toMatch(/^[A-Za-z0-9_-]{138}$/);
    expect(done.checksum).toBe(treeHash(data));
    const state = await emulator.control.dumpState();
    expect(state.vaults["v"]?.archives[done.archiveId!]).toMatchObject({
      size: data.length,
      treeHash: treeHash(data),
      description: "mp",
    });
  });

  it("rejects a part size that is not a power of two MiB", async () => {
    const { client } = await withVault();
    const error = await client
      .send(new InitiateMultipartUploadCommand({ ...acct, partSize: String(3 * MiB) }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidParameterValueException", $metadata: { httpStatusCode: 400 } });
  });

  it("rejects a part whose range is not aligned to the part size", async () => {
    const { client } = await withVault();
    const { uploadId } = await client.send(new InitiateMultipartUploadCommand({ ...acct, partSize: String(MiB) }));
    const error = await client
      .send(
        new UploadMultipartPartCommand({ ...acct, uploadId, range: `bytes 100-${100 + MiB - 1}/*`, body: bytes(MiB) }),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "InvalidParameterValueException",
      message: `Content-Range: bytes 100-${100 + MiB - 1}/* is incompatible with Part Size: ${MiB}`,
    });
  });

  it("refuses completion with a wrong tree hash, keeps the upload open, then completes it", async () => {
    const { client } = await withVault();
    const data = bytes(MiB + 1);
    const { uploadId } = await client.send(new InitiateMultipartUploadCommand({ ...acct, partSize: String(MiB) }));
    await client.send(
      new UploadMultipartPartCommand({ ...acct, uploadId, range: `bytes 0-${MiB - 1}/*`, body: data.subarray(0, MiB) }),
    );
    await client.send(
      new UploadMultipartPartCommand({ ...acct, uploadId, range: `bytes ${MiB}-${MiB}/*`, body: data.subarray(MiB) }),
    );
    const wrong = "a".repeat(64);
    const error = await client
      .send(
        new CompleteMultipartUploadCommand({ ...acct, uploadId, archiveSize: String(data.length), checksum: wrong }),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "InvalidParameterValueException",
      message: `Invalid x-amz-sha256-tree-hash: ${wrong}`,
    });
    const gap = await client
      .send(
        new CompleteMultipartUploadCommand({
          ...acct,
          uploadId,
          archiveSize: String(data.length + MiB),
          checksum: treeHash(data),
        }),
      )
      .catch((e: unknown) => e);
    expect(gap).toMatchObject({ name: "InvalidParameterValueException" });
    const done = await client.send(
      new CompleteMultipartUploadCommand({
        ...acct,
        uploadId,
        archiveSize: String(data.length),
        checksum: treeHash(data),
      }),
    );
    const again = await client.send(
      new CompleteMultipartUploadCommand({
        ...acct,
        uploadId,
        archiveSize: String(data.length),
        checksum: treeHash(data),
      }),
    );
    expect(again.archiveId).toBe(done.archiveId);
  });

  it("lists open uploads and forgets an aborted one", async () => {
    const { client } = await withVault();
    const a = await client.send(
      new InitiateMultipartUploadCommand({ ...acct, partSize: String(MiB), archiveDescription: "first" }),
    );
    const b = await client.send(new InitiateMultipartUploadCommand({ ...acct, partSize: String(4 * MiB) }));
    const listed = await client.send(new ListMultipartUploadsCommand(acct));
    expect(listed.UploadsList?.map((u) => u.MultipartUploadId).sort()).toEqual([a.uploadId, b.uploadId].sort());
    await client.send(new AbortMultipartUploadCommand({ ...acct, uploadId: a.uploadId }));
    const after = await client.send(new ListMultipartUploadsCommand(acct));
    expect(after.UploadsList?.map((u) => u.MultipartUploadId)).toEqual([b.uploadId]);
    const parts = await client.send(new ListPartsCommand({ ...acct, uploadId: a.uploadId })).catch((e: unknown) => e);
    expect(parts).toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("reclaims an upload left idle for 24 hours", async () => {
    const { client, emulator } = await withVault();
    const { uploadId } = await client.send(new InitiateMultipartUploadCommand({ ...acct, partSize: String(MiB) }));
    await emulator.control.advanceClock(86_400);
    const error = await client.send(new ListPartsCommand({ ...acct, uploadId })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "ResourceNotFoundException",
      message: `The upload ID was not found: ${uploadId}`,
    });
  });

  it(
    "takes the parts of a busy upload without writing " + "the state files, and counts a later part as activity",
    async () => {
      const { client, emulator, dataDir } = await testEmulator({ uploadIdleSeconds: 1000 });
      await client.send(new CreateVaultCommand(acct));
      const { uploadId } = await client.send(new InitiateMultipartUploadCommand({ ...acct, partSize: String(MiB) }));
      const part = (k: number) =>
        client.send(
          new UploadMultipartPartCommand({
            ...acct,
            uploadId,
            range: `bytes ${k * MiB}-${(k + 1) * MiB - 1}/*`,
            body: bytes(MiB, k + 1),
          }),
        );
      const stateFile = async () =>
        Promise.all(
          ["state.json", "state.log"].map(async (name) => {
            const info = await stat(join(dataDir, name));
            return [info.ino, info.mtimeMs, info.size];
          }),
        );
      const before = await stateFile();
      for (const k of [0, 1, 2]) await part(k);
      expect(await stateFile()).toEqual(before);
      // Nearly idle for the limit (1000 s): the next part is recorded as activity...
      await emulator.control.advanceClock(990);
      await part(3);
      await emulator.control.advanceClock(990);
      expect((await client.send(new ListPartsCommand({ ...acct, uploadId }))).Parts).toHaveLength(4);
      // ...and the upload is reclaimed once idle for the limit after it.
      await emulator.control.advanceClock(20);
      const error = await client.send(new ListPartsCommand({ ...acct, uploadId })).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "ResourceNotFoundException" });
    },
  );
});
