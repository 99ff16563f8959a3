// Jobs through @aws-sdk/client-glacier: archive and inventory retrieval on the emulator's clock.
import {
  CreateVaultCommand,
  DeleteArchiveCommand,
  DescribeJobCommand,
  GetJobOutputCommand,
  InitiateJobCommand,
  ListJobsCommand,
  UploadArchiveCommand,
} from "@aws-sdk/client-glacier";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.ts";
import { MiB, treeHash } from "../../src/core/tree-hash.ts";
import { bytes, testEmulator } from "./helpers.ts";

const acct = { accountId: "-", vaultName: "v" };

async function setup(options: Parameters<typeof testEmulator>[0] = {}) {
  const t = await testEmulator(options);
  await t.client.send(new CreateVaultCommand(acct));
  return t;
}

async function body(out: { body?: { transformToByteArray(): Promise<Uint8Array> } }): Promise<Buffer> {
  return Buffer.from(await out.body!.transformToByteArray());
}

describe("emulator jobs with the AWS SDK", () => {
  it("completes an archive job after the tier delay and serves the bytes with their tree hash", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { client, emulator } = await setup({ clock, jobDelays: { Standard: 4 * 3600 } });
    const data = bytes(3 * MiB + 17);
    const { archiveId } = await client.send(new UploadArchiveCommand({ ...acct, body: data }));
    const { jobId } = await client.send(
      new InitiateJobCommand({ ...acct, jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId } }),
    );
    const early = await client.send(new DescribeJobCommand({ ...acct, jobId }));
    expect(early).toMatchObject({
      StatusCode: "InProgress",
      Completed: false,
      Action: "ArchiveRetrieval",
      ArchiveSizeInBytes: data.length,
      Tier: "Standard",
      StatusMessage: "Operation in progress.",
    });
    const notReady = await client.send(new GetJobOutputCommand({ ...acct, jobId })).catch((e: unknown) => e);
    expect(notReady).toMatchObject({
      name: "InvalidParameterValueException",
      message: `The job is not currently available for download: ${jobId}`,
    });
    await emulator.control.advanceClock(4 * 3600);
    const done = await client.send(new DescribeJobCommand({ ...acct, jobId }));
    expect(done).toMatchObject({
      StatusCode: "Succeeded",
      Completed: true,
      SHA256TreeHash: treeHash(data),
      ArchiveSHA256TreeHash: treeHash(data),
      RetrievalByteRange: `0-${data.length - 1}`,
    });
    const out = await client.send(new GetJobOutputCommand({ ...acct, jobId }));
    expect(out.status).toBe(200);
    expect(out.checksum).toBe(treeHash(data));
    expect((await body(out)).equals(data)).toBe(true);
  });

  it("answers a tree-hash-aligned Range with 206 and its tree hash, and an unaligned one without", async () => {
    const { client } = await setup();
    const data = bytes(5 * MiB + 3);
    const { archiveId } = await client.send(new UploadArchiveCommand({ ...acct, body: data }));
    const { jobId } = await client.send(
      new InitiateJobCommand({ ...acct, jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId } }),
    );
    const aligned = await client.send(
      new GetJobOutputCommand({ ...acct, jobId, range: `bytes=${2 * MiB}-${4 * MiB - 1}` }),
    );
    expect(aligned).toMatchObject({
      status: 206,
      contentRange: `bytes ${2 * MiB}-${4 * MiB - 1}/${data.length}`,
      checksum: treeHash(data.subarray(2 * MiB, 4 * MiB)),
    });
    expect((await body(aligned)).equals(data.subarray(2 * MiB, 4 * MiB))).toBe(true);
    const unaligned = await client.send(
      new GetJobOutputCommand({ ...acct, jobId, range: `bytes=${MiB}-${3 * MiB - 1}` }),
    );
    expect(unaligned.status).toBe(206);
    expect(unaligned.checksum).toBeUndefined();
    const tail = await client.send(new GetJobOutputCommand({ ...acct, jobId, range: `bytes=${4 * MiB}-${8 * MiB}` }));
    expect(tail).toMatchObject({
      contentRange: `bytes ${4 * MiB}-${data.length - 1}/${data.length}`,
      checksum: treeHash(data.subarray(4 * MiB)),
    });
  });

  it("retrieves a megabyte-aligned byte range and refuses an unaligned one", async () => {
    const { client } = await setup();
    const data = bytes(4 * MiB);
    const { archiveId } = await client.send(new UploadArchiveCommand({ ...acct, body: data }));
    const { jobId } = await client.send(
      new InitiateJobCommand({
        ...acct,
        jobParameters: {
          Type: "archive-retrieval",
          ArchiveId: archiveId,
          RetrievalByteRange: `${2 * MiB}-${4 * MiB - 1}`,
        },
      }),
    );
    const out = await client.send(new GetJobOutputCommand({ ...acct, jobId }));
    expect(out.checksum).toBe(treeHash(data.subarray(2 * MiB)));
    expect((await body(out)).equals(data.subarray(2 * MiB))).toBe(true);
    const bad = await client
      .send(
        new InitiateJobCommand({
          ...acct,
          jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId, RetrievalByteRange: "0-999" },
        }),
      )
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ name: "InvalidParameterValueException" });
    const missing = await client
      .send(
        new InitiateJobCommand({ ...acct, jobParameters: { Type: "archive-retrieval", ArchiveId: "x".repeat(138) } }),
      )
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({
      name: "ResourceNotFoundException",
      message: `The archive ID was not found: ${"x".repeat(138)}`,
    });
  });

  it("serves an inventory only after one was taken, as of its date, in JSON and CSV", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { client, emulator } = await setup({ clock });
    const noInventory = await client
      .send(new InitiateJobCommand({ ...acct, jobParameters: { Type: "inventory-retrieval" } }))
      .catch((e: unknown) => e);
    expect(noInventory).toMatchObject({ name: "ResourceNotFoundException" });
    const { archiveId } = await client.send(
      new UploadArchiveCommand({ ...acct, body: bytes(10), archiveDescription: 'say "hi", ok' }),
    );
    await emulator.control.advanceClock(86_400);
    const json = await client.send(new InitiateJobCommand({ ...acct, jobParameters: { Type: "inventory-retrieval" } }));
    const jsonOut = await client.send(new GetJobOutputCommand({ ...acct, jobId: json.jobId }));
    expect(jsonOut.contentType).toBe("application/json");
    const inventory = JSON.parse((await body(jsonOut)).toString()) as Record<string, unknown>;
    expect(inventory).toEqual({
      VaultARN: "arn:aws:glacier:us-east-1:123456789012:vaults/v",
      InventoryDate: "2026-01-02T00:00:00Z",
      ArchiveList: [
        {
          ArchiveId: archiveId,
          ArchiveDescription: 'say "hi", ok',
          CreationDate: "2026-01-01T00:00:00Z",
          Size: 10,
          SHA256TreeHash: treeHash(bytes(10)),
        },
      ],
    });
    const csv = await client.send(
      new InitiateJobCommand({ ...acct, jobParameters: { Type: "inventory-retrieval", Format: "CSV" } }),
    );
    const csvOut = await client.send(new GetJobOutputCommand({ ...acct, jobId: csv.jobId }));
    expect(csvOut.contentType).toBe("text/csv");
    expect((await body(csvOut)).toString()).toBe(
      `ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash\n${archiveId},"say \\"hi\\", ` +
        `ok",2026-01-01T00:00:00Z,10,${treeHash(bytes(10))}\n`,
    );
    const described = await client.send(new DescribeJobCommand({ ...acct, jobId: csv.jobId }));
    expect(described).toMatchObject({
      Action: "InventoryRetrieval",
      InventoryRetrievalParameters: { Format: "CSV" },
      Completed: true,
    });
  });

  it("lists jobs filtered by status code and rejects an unknown status code", async () => {
    const { client } = await setup({ jobDelays: { Bulk: 3600 } });
    const { archiveId } = await client.send(new UploadArchiveCommand({ ...acct, body: bytes(10) }));
    const fast = await client.send(
      new InitiateJobCommand({ ...acct, jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId } }),
    );
    const slow = await client.send(
      new InitiateJobCommand({
        ...acct,
        jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId, Tier: "Bulk" },
      }),
    );
    const all = await client.send(new ListJobsCommand(acct));
    expect(all.JobList?.map((j) => j.JobId)).toEqual([fast.jobId, slow.jobId]);
    const pending = await client.send(new ListJobsCommand({ ...acct, statuscode: "InProgress" }));
    expect(pending.JobList?.map((j) => j.JobId)).toEqual([slow.jobId]);
    const done = await client.send(new ListJobsCommand({ ...acct, completed: "true" }));
    expect(done.JobList?.map((j) => j.JobId)).toEqual([fast.jobId]);
    const bad = await client.send(new ListJobsCommand({ ...acct, statuscode: "finished" })).catch((e: unknown) => e);
    expect(bad).toMatchObject({
      name: "InvalidParameterValueException",
      message: "The job status code is not valid: finished",
    });
  });

  it(
    "pages through jobs oldest first by marker, a job initiated between two pages and one expired after them " +
      "included",
    async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 1));
      const { client, emulator } = await setup({ clock });
      const { archiveId } = await client.send(new UploadArchiveCommand({ ...acct, body: bytes(10) }));
      const initiate = async () => {
        clock.advance(1000);
        return (
          await client.send(
            new InitiateJobCommand({ ...acct, jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId } }),
          )
        ).jobId;
      };
      const ids = [await initiate(), await initiate(), await initiate()];
      const first = await client.send(new ListJobsCommand({ ...acct, limit: 2 }));
      expect(first.JobList?.map((j) => j.JobId)).toEqual(ids.slice(0, 2));
      ids.push(await initiate());
      const second = await client.send(new ListJobsCommand({ ...acct, limit: 2, marker: first.Marker }));
      expect(second.JobList?.map((j) => j.JobId)).toEqual(ids.slice(2, 4));
      expect(second.Marker ?? null).toBeNull();
      // The first three expire 24 hours after they completed, the fourth a second later.
      await emulator.control.advanceClock(86_400 - 1);
      expect((await client.send(new ListJobsCommand(acct))).JobList?.map((j) => j.JobId)).toEqual([ids[3]]);
    },
  );

  it("forgets a job 24 hours after it completed", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { client, emulator } = await setup({ clock });
    const { archiveId } = await client.send(new UploadArchiveCommand({ ...acct, body: bytes(10) }));
    const { jobId } = await client.send(
      new InitiateJobCommand({ ...acct, jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId } }),
    );
    await emulator.control.advanceClock(86_400);
    const gone = await client.send(new DescribeJobCommand({ ...acct, jobId })).catch((e: unknown) => e);
    expect(gone).toMatchObject({ name: "ResourceNotFoundException", message: `The job ID was not found: ${jobId}` });
  });

  it("keeps an archive job's output readable after the archive is deleted", async () => {
    const { client } = await setup();
    const data = bytes(1234);
    const { archiveId } = await client.send(new UploadArchiveCommand({ ...acct, body: data }));
    const { jobId } = await client.send(
      new InitiateJobCommand({ ...acct, jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId } }),
    );
    await client.send(new DeleteArchiveCommand({ ...acct, archiveId }));
    const out = await client.send(new GetJobOutputCommand({ ...acct, jobId }));
    expect((await body(out)).equals(data)).toBe(true);
  });

  it("answers InsufficientCapacityException (503) to an InitiateJob hit by the 503 fault", async () => {
    const { client, emulator } = await setup();
    const { archiveId } = await client.send(new UploadArchiveCommand({ ...acct, body: bytes(10) }));
    emulator.control.setFaults("503,op=InitiateJob");
    const error = await client
      .send(
        new InitiateJobCommand({
          ...acct,
          jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId, Tier: "Expedited" },
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InsufficientCapacityException", $metadata: { httpStatusCode: 503 } });
  });
});
