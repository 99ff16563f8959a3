// Regions: Glacier has one endpoint per region, the emulator one URL; the region comes from the
// SigV4 credential scope the client declared, else it is the emulator's configured region.
import {
  CreateVaultCommand,
  DeleteArchiveCommand,
  DescribeJobCommand,
  DescribeVaultCommand,
  GetDataRetrievalPolicyCommand,
  GlacierClient,
  InitiateJobCommand,
  InitiateMultipartUploadCommand,
  ListJobsCommand,
  ListMultipartUploadsCommand,
  ListVaultsCommand,
  SetDataRetrievalPolicyCommand,
  UploadArchiveCommand,
} from "@aws-sdk/client-glacier";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { startEmulator } from "../../src/emulator/index.ts";
import { DataStore } from "../../src/emulator/store.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { TEST_CREDENTIALS, bytes, testEmulator } from "./helpers.ts";

const acct = { accountId: "-", vaultName: "v" };
const versioned = { "x-amz-glacier-version": "2012-06-01" };

function clientIn(url: string, region: string): GlacierClient {
  const client = new GlacierClient({ region, endpoint: url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  onTestFinished(() => {
    client.destroy();
  });
  return client;
}

const names = async (client: GlacierClient) =>
  (await client.send(new ListVaultsCommand({ accountId: "-" }))).VaultList?.map((v) => v.VaultName);

describe("emulator regions", () => {
  it(
    "keeps the same vault name in two regions as two vaults, " + "each with its own archives, jobs, uploads and ARNs",
    async () => {
      const { client: us, emulator } = await testEmulator();
      const eu = clientIn(emulator.url, "eu-west-1");
      await us.send(new CreateVaultCommand(acct));
      await eu.send(new CreateVaultCommand(acct));
      await eu.send(new CreateVaultCommand({ accountId: "-", vaultName: "europe" }));
      expect(await names(us)).toEqual(["v"]);
      expect(await names(eu)).toEqual(["europe", "v"]);
      expect((await eu.send(new DescribeVaultCommand(acct))).VaultARN).toBe(
        "arn:aws:glacier:eu-west-1:123456789012:vaults/v",
      );
      expect((await us.send(new DescribeVaultCommand(acct))).VaultARN).toBe(
        "arn:aws:glacier:us-east-1:123456789012:vaults/v",
      );
      expect(
        await us.send(new DescribeVaultCommand({ accountId: "-", vaultName: "europe" })).catch((e: unknown) => e),
      ).toMatchObject({
        name: "ResourceNotFoundException",
        message: "Vault not found for ARN: arn:aws:glacier:us-east-1:123456789012:vaults/europe",
      });

      const { archiveId } = await eu.send(
        new UploadArchiveCommand({ ...acct, body: bytes(1000), archiveDescription: "in europe" }),
      );
      // Glacier answers 204 to a delete of an archive its vault does not hold; the European one stays.
      await us.send(new DeleteArchiveCommand({ ...acct, archiveId }));
      expect(Object.keys((await emulator.control.dumpState("eu-west-1")).vaults["v"]!.archives)).toEqual([archiveId]);
      const { jobId } = await eu.send(
        new InitiateJobCommand({ ...acct, jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId } }),
      );
      expect((await eu.send(new DescribeJobCommand({ ...acct, jobId }))).VaultARN).toBe(
        "arn:aws:glacier:eu-west-1:123456789012:vaults/v",
      );
      expect(await us.send(new DescribeJobCommand({ ...acct, jobId })).catch((e: unknown) => e)).toMatchObject({
        name: "ResourceNotFoundException",
      });
      expect((await us.send(new ListJobsCommand(acct))).JobList).toEqual([]);
      const { uploadId } = await eu.send(
        new InitiateMultipartUploadCommand({ ...acct, partSize: String(1024 * 1024) }),
      );
      expect(
        (await eu.send(new ListMultipartUploadsCommand(acct))).UploadsList?.map((u) => u.MultipartUploadId),
      ).toEqual([uploadId]);
      expect((await us.send(new ListMultipartUploadsCommand(acct))).UploadsList).toEqual([]);

      await eu.send(
        new SetDataRetrievalPolicyCommand({ accountId: "-", Policy: { Rules: [{ Strategy: "FreeTier" }] } }),
      );
      expect((await us.send(new GetDataRetrievalPolicyCommand({ accountId: "-" }))).Policy?.Rules).toEqual([
        { Strategy: "None" },
      ]);
      await eu.send(new DeleteArchiveCommand({ ...acct, archiveId }));
    },
  );

  it(
    "serves a scope without an AWS region (boto 2 signing 127.0.0.1 as region 0) and auth off in the " +
      "configured region",
    async () => {
      const { emulator } = await testEmulator({ region: "ap-southeast-2" });
      const amzDate = new Date()
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
      const boto2 = await fetch(`${emulator.url}/-/vaults/boto`, {
        method: "PUT",
        headers: {
          ...versioned,
          "x-amz-date": amzDate,
          authorization:
            `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${amzDate.slice(0, 8)}/0/127/aws4_request, ` +
            `SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`,
        },
      });
      expect(boto2.status).toBe(201);
      expect(await names(clientIn(emulator.url, "ap-southeast-2"))).toEqual(["boto"]);
      expect(await names(clientIn(emulator.url, "us-east-1"))).toEqual([]);

      const off = await testEmulator({ region: "eu-central-1", auth: "off" });
      const eu = clientIn(off.emulator.url, "eu-west-1");
      await eu.send(new CreateVaultCommand(acct));
      // No check, no header read: every request is for the configured region.
      expect((await eu.send(new DescribeVaultCommand(acct))).VaultARN).toBe(
        "arn:aws:glacier:eu-central-1:123456789012:vaults/v",
      );
      const unsigned = await fetch(`${off.emulator.url}/-/vaults`, { headers: versioned });
      expect(
        ((await unsigned.json()) as { VaultList: { VaultName: string }[] }).VaultList.map((v) => v.VaultName),
      ).toEqual(["v"]);
    },
  );

  it(
    "loads a state file written before regions as the " + "configured region's, and records that region in it",
    async () => {
      const dataDir = await tempDir("glacier-emu-");
      const first = await startEmulator({ dataDir });
      const client = new GlacierClient({
        region: "us-east-1",
        endpoint: first.url,
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
      });
      await client.send(new CreateVaultCommand({ accountId: "-", vaultName: "old" }));
      client.destroy();
      await first.close();
      // The layout of files written before regions: the records at the top level, no region named.
      const statePath = join(dataDir, "state.json");
      const { region, ...before } = JSON.parse(await readFile(statePath, "utf8")) as Record<string, unknown>;
      expect(region).toBe("us-east-1");
      expect(before).not.toHaveProperty("regions");
      await writeFile(statePath, JSON.stringify(before));

      const { emulator } = await testEmulator({ dataDir, region: "eu-west-1" });
      expect(await names(clientIn(emulator.url, "eu-west-1"))).toEqual(["old"]);
      expect(await names(clientIn(emulator.url, "us-east-1"))).toEqual([]);
      expect(await new DataStore(dataDir).transact((state) => Promise.resolve(state))).toMatchObject({
        region: "eu-west-1",
        vaults: { old: { name: "old" } },
      });
    },
  );

  it("dumps every region, logs each request's region and takes inventories in one region or in all", async () => {
    const { client: us, emulator } = await testEmulator();
    const eu = clientIn(emulator.url, "eu-west-1");
    await us.send(new CreateVaultCommand(acct));
    await eu.send(new CreateVaultCommand(acct));
    await eu.send(new UploadArchiveCommand({ ...acct, body: bytes(10) }));

    const state = await emulator.control.dumpState();
    expect(state.region).toBe("us-east-1");
    expect(Object.keys(state.vaults)).toEqual(["v"]);
    expect(Object.keys(state.regions ?? {})).toEqual(["eu-west-1"]);
    expect(Object.keys(state.regions!["eu-west-1"]!.vaults["v"]!.archives)).toHaveLength(1);
    const europe = await emulator.control.dumpState("eu-west-1");
    expect(europe.region).toBe("eu-west-1");
    expect(Object.keys(europe.vaults["v"]!.archives)).toHaveLength(1);
    expect(Object.keys(europe.regions!["us-east-1"]!.vaults)).toEqual(["v"]);
    const http = (await (await fetch(`${emulator.url}/_emulator/state?region=eu-west-1`)).json()) as typeof europe;
    expect(http.region).toBe("eu-west-1");

    expect(emulator.control.requestLog().map((e) => [e.operation, e.region])).toEqual([
      ["CreateVault", "us-east-1"],
      ["CreateVault", "eu-west-1"],
      ["UploadArchive", "eu-west-1"],
      ["_emulator", undefined],
    ]);
    expect(emulator.control.requestLog("eu-west-1").map((e) => e.operation)).toEqual(["CreateVault", "UploadArchive"]);
    const logged = (await (await fetch(`${emulator.url}/_emulator/requests?region=us-east-1`)).json()) as {
      requests: { operation: string }[];
    };
    expect(logged.requests.map((e) => e.operation)).toEqual(["CreateVault"]);

    await emulator.control.generateInventory("v", "us-east-1");
    expect((await eu.send(new DescribeVaultCommand(acct))).LastInventoryDate).toBeUndefined();
    expect(await emulator.control.generateInventory("nowhere").catch((e: unknown) => e)).toMatchObject({
      code: "ResourceNotFoundException",
    });
    const inventory = await fetch(`${emulator.url}/_emulator/inventory?vault=v`, { method: "POST" });
    expect(inventory.status).toBe(204);
    expect(await eu.send(new DescribeVaultCommand(acct))).toMatchObject({
      NumberOfArchives: 1,
      LastInventoryDate: expect.any(String) as unknown,
    });
  });
});
