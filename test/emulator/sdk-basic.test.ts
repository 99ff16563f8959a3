// The emulator driven by @aws-sdk/client-glacier over real HTTP: vaults, single uploads, deletes.
import {
  CreateVaultCommand,
  DeleteArchiveCommand,
  DeleteVaultCommand,
  DescribeVaultCommand,
  ListVaultsCommand,
  UploadArchiveCommand,
} from "@aws-sdk/client-glacier";
import { describe, expect, it } from "vitest";
import { treeHash } from "../../src/core/tree-hash.ts";
import { bytes, testEmulator } from "./helpers.ts";

describe("emulator with the AWS SDK: vaults and archives", () => {
  it("creates a vault, answers the Location header and describes it with no inventory yet", async () => {
    const { client } = await testEmulator();
    const created = await client.send(new CreateVaultCommand({ accountId: "-", vaultName: "photos" }));
    expect(created.location).toBe("/123456789012/vaults/photos");
    const described = await client.send(new DescribeVaultCommand({ accountId: "-", vaultName: "photos" }));
    expect(described).toMatchObject({
      VaultName: "photos",
      VaultARN: "arn:aws:glacier:us-east-1:123456789012:vaults/photos",
      NumberOfArchives: 0,
      SizeInBytes: 0,
    });
    expect(described.LastInventoryDate).toBeUndefined();
  });

  it("lists vaults in name order, ten per page, with the next vault's ARN as marker", async () => {
    const { client } = await testEmulator();
    const names = Array.from({ length: 12 }, (_, i) => `v${String(i).padStart(2, "0")}`).reverse();
    for (const vaultName of names) await client.send(new CreateVaultCommand({ accountId: "-", vaultName }));
    const first = await client.send(new ListVaultsCommand({ accountId: "-", limit: 1000 }));
    expect(first.VaultList?.map((v) => v.VaultName)).toEqual([
      "v00",
      "v01",
      "v02",
      "v03",
      "v04",
      "v05",
      "v06",
      "v07",
      "v08",
      "v09",
    ]);
    expect(first.Marker).toBe("arn:aws:glacier:us-east-1:123456789012:vaults/v10");
    const second = await client.send(new ListVaultsCommand({ accountId: "-", marker: first.Marker }));
    expect(second.VaultList?.map((v) => v.VaultName)).toEqual(["v10", "v11"]);
    expect(second.Marker).toBeUndefined();
  });

  it("stores an upload under a 138-character ID and answers the server-computed tree hash", async () => {
    const { client } = await testEmulator();
    await client.send(new CreateVaultCommand({ accountId: "-", vaultName: "v" }));
    const data = bytes(3 * 1024 * 1024 + 5);
    const out = await client.send(
      new UploadArchiveCommand({ accountId: "-", vaultName: "v", body: data, archiveDescription: "backup 1" }),
    );
    expect(out.archiveId).toMatch(/^[A-Za-z0-9_-]{138}$/);
    expect(out.checksum).toBe(treeHash(data));
    expect(out.location).toBe(`/123456789012/vaults/v/archives/${out.archiveId}`);
  });

  it("rejects an upload whose tree hash header does not match the body with Glacier's message", async () => {
    const { client } = await testEmulator();
    await client.send(new CreateVaultCommand({ accountId: "-", vaultName: "v" }));
    const wrong = "0".repeat(64);
    const error = await client
      .send(new UploadArchiveCommand({ accountId: "-", vaultName: "v", body: bytes(100), checksum: wrong }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "InvalidParameterValueException",
      message: `Checksum mismatch: expected ${wrong}, computed ${treeHash(bytes(100))}`,
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("answers ResourceNotFoundException with the vault ARN for an unknown vault", async () => {
    const { client } = await testEmulator();
    const error = await client
      .send(new DescribeVaultCommand({ accountId: "-", vaultName: "nope" }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "ResourceNotFoundException",
      message: "Vault not found for ARN: arn:aws:glacier:us-east-1:123456789012:vaults/nope",
    });
  });

  it("deletes archives idempotently and refuses a foreign vault's archive ID", async () => {
    const { client } = await testEmulator();
    for (const vaultName of ["a", "b"]) await client.send(new CreateVaultCommand({ accountId: "-", vaultName }));
    const { archiveId } = await client.send(
      new UploadArchiveCommand({ accountId: "-", vaultName: "a", body: bytes(10) }),
    );
    const foreign = await client
      .send(new DeleteArchiveCommand({ accountId: "-", vaultName: "b", archiveId }))
      .catch((e: unknown) => e);
    expect(foreign).toMatchObject({
      name: "InvalidParameterValueException",
      message: "Invalid vault name: arn:aws:glacier:us-east-1:123456789012:vaults/b",
    });
    await client.send(new DeleteArchiveCommand({ accountId: "-", vaultName: "a", archiveId }));
    await client.send(new DeleteArchiveCommand({ accountId: "-", vaultName: "a", archiveId }));
  });

  it("refuses to delete a vault until an inventory shows it empty with no writes since", async () => {
    const { client, emulator } = await testEmulator();
    await client.send(new CreateVaultCommand({ accountId: "-", vaultName: "v" }));
    const { archiveId } = await client.send(
      new UploadArchiveCommand({ accountId: "-", vaultName: "v", body: bytes(10) }),
    );
    await client.send(new DeleteArchiveCommand({ accountId: "-", vaultName: "v", archiveId }));
    const refused = await client
      .send(new DeleteVaultCommand({ accountId: "-", vaultName: "v" }))
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({
      name: "InvalidParameterValueException",
      message: "Vault not empty or recently written to: arn:aws:glacier:us-east-1:123456789012:vaults/v",
    });
    await emulator.control.advanceClock(86_400);
    await client.send(new DeleteVaultCommand({ accountId: "-", vaultName: "v" }));
    const gone = await client
      .send(new DescribeVaultCommand({ accountId: "-", vaultName: "v" }))
      .catch((e: unknown) => e);
    expect(gone).toMatchObject({ name: "ResourceNotFoundException" });
  });
});
