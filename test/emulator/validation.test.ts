// Request validation as Glacier does it, the nulls switch and archive IDs.
import { CreateVaultCommand, InitiateJobCommand, UploadArchiveCommand } from "@aws-sdk/client-glacier";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { treeHash } from "../../src/core/tree-hash.ts";
import { bytes, testEmulator } from "./helpers.ts";

const versioned = { "x-amz-glacier-version": "2012-06-01" };
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

async function openVault() {
  const t = await testEmulator({ auth: "off" });
  await fetch(`${t.emulator.url}/-/vaults/v`, { method: "PUT", headers: versioned });
  return t;
}

async function upload(url: string, body: Buffer, headers: Record<string, string>) {
  const response = await fetch(`${url}/-/vaults/v/archives`, {
    method: "POST",
    headers: { ...versioned, ...headers },
    body,
  });
  return {
    status: response.status,
    body: response.status >= 400 ? ((await response.json()) as { code: string; message: string }) : undefined,
  };
}

describe("emulator validation", () => {
  it(
    "sends no Content-Type on bodiless answers, exactly application/json on JSON ones, and a request ID on " +
      "every one",
    async () => {
      const { emulator } = await testEmulator({ auth: "off" });
      const created = await fetch(`${emulator.url}/-/vaults/v`, { method: "PUT", headers: versioned });
      expect(created.status).toBe(201);
      expect(created.headers.get("content-type")).toBeNull();
      expect(created.headers.get("x-amzn-requestid")).toMatch(/^[A-Za-z0-9]{52}$/);
      const described = await fetch(`${emulator.url}/-/vaults/v`, { headers: versioned });
      expect(described.headers.get("content-type")).toBe("application/json");
      expect(described.headers.get("x-amzn-errortype")).toBeNull();
      const missing = await fetch(`${emulator.url}/-/vaults/none`, { headers: versioned });
      expect(missing.headers.get("content-type")).toBe("application/json");
      expect(missing.headers.get("x-amzn-requestid")).not.toBeNull();
    },
  );

  it("refuses an upload whose x-amz-content-sha256 does not match the body", async () => {
    const { emulator } = await openVault();
    const body = bytes(1000);
    const result = await upload(emulator.url, body, {
      "x-amz-sha256-tree-hash": treeHash(body),
      "x-amz-content-sha256": "1".repeat(64),
    });
    expect(result).toEqual({
      status: 400,
      body: {
        code: "InvalidParameterValueException",
        message: `Content SHA-256 mismatch: expected ${"1".repeat(64)}, computed ${sha(body)}`,
        type: "Client",
      },
    });
  });

  it("refuses an upload without the tree-hash header with MissingParameterValueException", async () => {
    const { emulator } = await openVault();
    const result = await upload(emulator.url, bytes(10), { "x-amz-content-sha256": sha(bytes(10)) });
    expect(result.body).toMatchObject({
      code: "MissingParameterValueException",
      message: "Required header x-amz-sha256-tree-hash is missing",
    });
  });

  it("refuses a 0-byte upload", async () => {
    const { emulator } = await openVault();
    const empty = Buffer.alloc(0);
    const result = await upload(emulator.url, empty, {
      "x-amz-sha256-tree-hash": treeHash(empty),
      "x-amz-content-sha256": sha(empty),
    });
    expect(result).toMatchObject({ status: 400, body: { code: "InvalidParameterValueException" } });
  });

  it("refuses a description outside printable ASCII and strips leading spaces", async () => {
    const { emulator } = await openVault();
    const body = bytes(10);
    const hashes = { "x-amz-sha256-tree-hash": treeHash(body), "x-amz-content-sha256": sha(body) };
    expect(
      (await upload(emulator.url, body, { ...hashes, "x-amz-archive-description": "tab\there" })).body,
    ).toMatchObject({ code: "InvalidParameterValueException" });
    expect((await upload(emulator.url, body, { ...hashes, "x-amz-archive-description": "   spaced" })).status).toBe(
      201,
    );
    const state = await emulator.control.dumpState();
    expect(Object.values(state.vaults["v"]!.archives).map((a) => a.description)).toEqual(["spaced"]);
  });

  it("refuses a vault name with characters Glacier does not allow", async () => {
    const { emulator } = await openVault();
    const response = await fetch(`${emulator.url}/-/vaults/bad:name`, { method: "PUT", headers: versioned });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "InvalidParameterValueException" });
  });

  it("refuses a non-numeric or zero limit and clamps a large one", async () => {
    const { emulator } = await openVault();
    for (const limit of ["abc", "0"]) {
      const response = await fetch(`${emulator.url}/-/vaults?limit=${limit}`, { headers: versioned });
      expect(await response.json()).toMatchObject({ code: "InvalidParameterValueException" });
    }
    const large = await fetch(`${emulator.url}/-/vaults?limit=1000`, { headers: versioned });
    expect(large.status).toBe(200);
  });

  it("generates 138-character URL-safe archive IDs, some starting with '-'", async () => {
    const { emulator } = await openVault();
    const body = bytes(1);
    const hashes = { "x-amz-sha256-tree-hash": treeHash(body), "x-amz-content-sha256": sha(body) };
    for (let i = 0; i < 40; i++) await upload(emulator.url, body, hashes);
    const ids = Object.keys((await emulator.control.dumpState()).vaults["v"]!.archives);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{138}$/.test(id))).toBe(true);
    expect(ids.some((id) => id.startsWith("-"))).toBe(true);
  });

  it("emits every documented job key as null by default and omits them with nulls=omit", async () => {
    const seen: Record<string, Record<string, unknown>> = {};
    for (const nulls of ["emit", "omit"] as const) {
      const { client, emulator } = await testEmulator({ nulls, auth: "off" });
      await client.send(new CreateVaultCommand({ accountId: "-", vaultName: "v" }));
      const { archiveId } = await client.send(
        new UploadArchiveCommand({ accountId: "-", vaultName: "v", body: bytes(5) }),
      );
      const { jobId } = await client.send(
        new InitiateJobCommand({
          accountId: "-",
          vaultName: "v",
          jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId },
        }),
      );
      seen[nulls] = (await (
        await fetch(`${emulator.url}/-/vaults/v/jobs/${jobId}`, { headers: versioned })
      ).json()) as Record<string, unknown>;
      const list = (await (await fetch(`${emulator.url}/-/vaults/v/jobs`, { headers: versioned })).json()) as {
        JobList: unknown[];
      };
      expect(list.JobList).toEqual([seen[nulls]]);
    }
    // boto 2's Job constructor indexes every one of these keys (docs/glacier-api.md#job-descriptions).
    for (const key of [
      "Action",
      "ArchiveId",
      "ArchiveSizeInBytes",
      "Completed",
      "CompletionDate",
      "CreationDate",
      "InventorySizeInBytes",
      "JobDescription",
      "JobId",
      "SHA256TreeHash",
      "SNSTopic",
      "StatusCode",
      "StatusMessage",
      "VaultARN",
    ]) {
      expect(seen["emit"]).toHaveProperty(key);
    }
    expect(seen["emit"]).toMatchObject({
      JobDescription: null,
      SNSTopic: null,
      InventorySizeInBytes: null,
      InventoryRetrievalParameters: null,
    });
    expect(Object.keys(seen["omit"]!).sort()).toEqual(
      Object.keys(seen["emit"]!)
        .filter((k) => seen["emit"]![k] !== null)
        .sort(),
    );
    expect(seen["omit"]).not.toHaveProperty("JobDescription");
  });
});
