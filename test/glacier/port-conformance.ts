// The conformance suite every GlacierPort adapter must pass (docs/architecture.md#the-backend-port: "one conformance
// suite runs against every backend adapter"). The fixture supplies the port and the backend's time controls.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ServiceError } from "../../src/core/errors.ts";
import { TreeHasher, MiB, treeHash } from "../../src/core/tree-hash.ts";
import type { GlacierPort } from "../../src/glacier/port.ts";
import { readAll } from "./helpers.ts";

export interface PortFixture {
  port: GlacierPort;
  /** Lets every queued job complete. */
  finishJobs(): Promise<void>;
  /** Makes the backend take an inventory of the vault now. */
  takeInventory(vault: string): Promise<void>;
}

function hashes(body: Buffer) {
  const hasher = new TreeHasher({ linear: true }).update(body);
  return { treeHash: hasher.hexDigest(), sha256: hasher.linearHexDigest() };
}

async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

export function describePortConformance(name: string, setUp: () => Promise<PortFixture>): void {
  describe(`${name} conforms to the backend port`, () => {
    it("creates vaults idempotently, describes and lists them sorted by name, and deletes an empty one", async () => {
      const { port } = await setUp();
      await port.createVault("zeta");
      await port.createVault("alpha");
      await port.createVault("alpha");
      const vaults = await port.listVaults();
      expect(vaults.map((v) => v.name)).toEqual(["alpha", "zeta"]);
      const alpha = await port.describeVault("alpha");
      expect(alpha.name).toBe("alpha");
      expect(alpha.arn).toMatch(/^arn:aws:glacier:us-east-1:\d{12}:vaults\/alpha$/);
      await port.deleteVault("zeta");
      expect((await port.listVaults()).map((v) => v.name)).toEqual(["alpha"]);
    });

    it("lists every vault across pages", async () => {
      const { port } = await setUp();
      const names = Array.from({ length: 23 }, (_, i) => `v${String(i).padStart(2, "0")}`);
      for (const n of names) await port.createVault(n);
      expect((await port.listVaults()).map((v) => v.name)).toEqual(names);
    });

    it("reports a missing vault in one line naming the vault and the region", async () => {
      const { port } = await setUp();
      const error = await rejection(port.describeVault("nope"));
      expect(error.code).toBe("ResourceNotFoundException");
      expect(error.message).toBe("vault 'nope' not found in region us-east-1");
    });

    it("stores a single-request upload under the tree hash it computed, and refuses a wrong checksum", async () => {
      const { port } = await setUp();
      await port.createVault("v");
      const body = randomBytes(MiB + 17);
      const created = await port.uploadArchive({ vault: "v", description: "photo.jpg", body, ...hashes(body) });
      expect(created.archiveId.length).toBe(138);
      expect(created.treeHash).toBe(treeHash(body));
      const bad = await rejection(port.uploadArchive({ vault: "v", body, ...hashes(body), treeHash: "0".repeat(64) }));
      expect(bad.code).toBe("InvalidParameterValueException");
      expect(bad.message).toMatch(/Checksum mismatch/);
    });

    it("assembles a multipart upload from parts sent out of order, listing parts and uploads meanwhile", async () => {
      const { port } = await setUp();
      await port.createVault("v");
      const data = randomBytes(2 * MiB + 5);
      const { uploadId } = await port.initiateMultipart({ vault: "v", description: "big", partSize: MiB });
      const parts = [2, 0, 1].map((k) => ({
        start: k * MiB,
        body: data.subarray(k * MiB, Math.min((k + 1) * MiB, data.length)),
      }));
      for (const part of parts) {
        const answer = await port.uploadPart({
          vault: "v",
          uploadId,
          start: part.start,
          body: part.body,
          ...hashes(part.body),
        });
        expect(answer.treeHash).toBe(treeHash(part.body));
      }
      const listing = await port.listParts("v", uploadId);
      expect(listing.partSize).toBe(MiB);
      expect(listing.description).toBe("big");
      expect(listing.parts.map((p) => [p.start, p.end, p.treeHash])).toEqual([
        [0, MiB - 1, treeHash(data.subarray(0, MiB))],
        [MiB, 2 * MiB - 1, treeHash(data.subarray(MiB, 2 * MiB))],
        [2 * MiB, 2 * MiB + 4, treeHash(data.subarray(2 * MiB))],
      ]);
      expect((await port.listMultipartUploads("v")).map((u) => u.uploadId)).toEqual([uploadId]);
      const created = await port.completeMultipart({
        vault: "v",
        uploadId,
        size: data.length,
        treeHash: treeHash(data),
      });
      expect(created.archiveId).toMatch(/^[A-Za-z0-9_-]{138}$/);
      expect(await port.listMultipartUploads("v")).toEqual([]);
    });

    it("aborts a multipart upload so it is no longer listed", async () => {
      const { port } = await setUp();
      await port.createVault("v");
      const { uploadId } = await port.initiateMultipart({ vault: "v", partSize: MiB });
      await port.abortMultipart("v", uploadId);
      expect(await port.listMultipartUploads("v")).toEqual([]);
      expect((await rejection(port.listParts("v", uploadId))).code).toBe("ResourceNotFoundException");
    });

    it(
      "retrieves an archive through a job, whole and by " + "tree-hash-aligned range, with the range's tree hash",
      async () => {
        const fixture = await setUp();
        const { port } = fixture;
        await port.createVault("v");
        const data = randomBytes(3 * MiB + 100);
        const { archiveId } = await port.uploadArchive({ vault: "v", description: "doc", body: data, ...hashes(data) });
        const { jobId } = await port.initiateJob("v", { type: "archive", archiveId, tier: "Expedited" });
        await fixture.finishJobs();
        const job = await port.describeJob("v", jobId);
        expect(job).toMatchObject({
          jobId,
          vault: "v",
          action: "ArchiveRetrieval",
          status: "Succeeded",
          completed: true,
          archiveId,
          archiveSize: data.length,
          archiveTreeHash: treeHash(data),
          tier: "Expedited",
        });
        expect(job.creationDateText).toMatch(/^\d{4}-\d\d-\d\dT/);
        const whole = await port.getJobOutput({ vault: "v", jobId });
        expect(whole.status).toBe(200);
        expect(whole.treeHash).toBe(treeHash(data));
        expect((await readAll(whole.body)).equals(data)).toBe(true);
        const range = await port.getJobOutput({ vault: "v", jobId, range: { start: 2 * MiB, end: data.length - 1 } });
        expect(range.status).toBe(206);
        expect(range.contentLength).toBe(MiB + 100);
        expect(range.treeHash).toBe(treeHash(data.subarray(2 * MiB)));
        expect((await readAll(range.body)).equals(data.subarray(2 * MiB))).toBe(true);
      },
    );

    it("lists a vault's jobs on every page, or the first page only on request", async () => {
      const fixture = await setUp();
      const { port } = fixture;
      await port.createVault("v");
      const body = Buffer.from("x");
      const { archiveId } = await port.uploadArchive({ vault: "v", body, ...hashes(body) });
      for (let i = 0; i < 53; i++) await port.initiateJob("v", { type: "archive", archiveId });
      expect(await port.listJobs("v")).toHaveLength(53);
      expect(await port.listJobs("v", { firstPageOnly: true })).toHaveLength(50);
    });

    it("produces an inventory in JSON and CSV once the vault has one", async () => {
      const fixture = await setUp();
      const { port } = fixture;
      await port.createVault("v");
      const body = Buffer.from("inventory me");
      const { archiveId } = await port.uploadArchive({ vault: "v", description: "a,b", body, ...hashes(body) });
      await fixture.takeInventory("v");
      const json = await port.initiateJob("v", { type: "inventory" });
      const csv = await port.initiateJob("v", { type: "inventory", format: "CSV" });
      await fixture.finishJobs();
      const jsonJob = await port.describeJob("v", json.jobId);
      expect(jsonJob).toMatchObject({ action: "InventoryRetrieval", status: "Succeeded", inventoryFormat: "JSON" });
      const inventory = JSON.parse(
        (await readAll((await port.getJobOutput({ vault: "v", jobId: json.jobId })).body)).toString(),
      ) as { ArchiveList: { ArchiveId: string; ArchiveDescription: string }[] };
      expect(inventory.ArchiveList).toEqual([
        expect.objectContaining({ ArchiveId: archiveId, ArchiveDescription: "a,b" }),
      ]);
      const csvOutput = await port.getJobOutput({ vault: "v", jobId: csv.jobId });
      expect(csvOutput.contentType).toBe("text/csv");
      expect((await readAll(csvOutput.body)).toString()).toContain(`${archiveId},"a,b"`);
    });

    it("deletes an archive, and deleting it again is not an error", async () => {
      const { port } = await setUp();
      await port.createVault("v");
      const body = Buffer.from("bye");
      const { archiveId } = await port.uploadArchive({ vault: "v", body, ...hashes(body) });
      await port.deleteArchive("v", archiveId);
      await port.deleteArchive("v", archiveId);
      const error = await rejection(port.initiateJob("v", { type: "archive", archiveId }));
      expect(error.code).toBe("ResourceNotFoundException");
    });
  });
}
