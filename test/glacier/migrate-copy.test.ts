// The streamed, verified copy of one archive from a vault retrieval job to an S3 object, against the
// emulator over HTTP: whole and multipart copies, resume, adoption, orphan uploads, corrupted ranges.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { IntegrityError } from "../../src/core/errors.ts";
import { descriptionForName } from "../../src/core/names.ts";
import { MiB, treeHash } from "../../src/core/tree-hash.ts";
import { BufferPool } from "../../src/glacier/buffer-pool.ts";
import { copyArchive, type CopyArchiveInput } from "../../src/glacier/migrate-copy.ts";
import { ADDRESS, migrateWorld, readObject, sourceOf, type MigrateWorld, type Source } from "./migrate-helpers.ts";

const PART = 8 * MiB;
const LARGE = 20 * MiB + 123;

function copyInput(world: MigrateWorld, source: Source, name: string, started: string[] = []): CopyArchiveInput {
  return {
    port: world.port,
    clock: world.clock,
    source: sourceOf(source),
    target: { address: ADDRESS, name },
    partSize: PART,
    onUploadStarted: (uploadId) => {
      started.push(uploadId);
      return Promise.resolve();
    },
  };
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

async function expectCopied(world: MigrateWorld, source: Source, name: string, storageClass = "GLACIER_IR") {
  const { head, data } = await readObject(world, name);
  expect(data.equals(source.data)).toBe(true);
  expect(head.storageClass).toBe(storageClass);
  expect(head.metadata).toMatchObject({
    "sha256-tree-hash": source.treeHash,
    size: String(source.size),
    "glacier-archive-id": source.archiveId,
  });
  return head;
}

async function openUploads(world: MigrateWorld) {
  return (await world.port.listMultipartUploads(ADDRESS)).map((u) => u.description);
}

async function keys(world: MigrateWorld) {
  return (await world.s3.listObjects("mig", "", false)).map((o) => o.key);
}

describe("copyArchive", () => {
  it("copies an archive of one part with one read of the job output and one PutObject", async () => {
    const world = await migrateWorld();
    const source = await world.archive(3 * MiB + 5);
    world.clearLog();
    const started: string[] = [];
    const copied = await copyArchive(copyInput(world, source, "small.bin", started));
    expect(world.calls().map((c) => c.operation)).toEqual(["HeadObject", "GetJobOutput", "PutObject", "HeadObject"]);
    const head = await expectCopied(world, source, "small.bin");
    expect(copied).toEqual({
      archiveId: `small.bin?treeHash=${source.treeHash}`,
      treeHash: source.treeHash,
      size: source.size,
      s3Checksum: head.checksumSha256,
      adopted: false,
    });
    expect(Buffer.from(copied.s3Checksum, "base64").toString("hex")).toBe(sha256(source.data));
    expect(started).toEqual([]);
  });

  it("streams a larger archive through a multipart upload of tree-hash-aligned parts", async () => {
    const world = await migrateWorld("DEEP_ARCHIVE");
    const source = await world.archive(LARGE);
    world.clearLog();
    const started: string[] = [];
    const copied = await copyArchive({ ...copyInput(world, source, "dir/large.bin", started), concurrency: 2 });
    const head = await world.s3.headObject("mig", "pre/dir/large.bin");
    expect(head.storageClass).toBe("DEEP_ARCHIVE");
    expect(head.metadata["glacier-archive-id"]).toBe(source.archiveId);
    expect(copied.adopted).toBe(false);
    expect(copied.treeHash).toBe(source.treeHash);
    expect(copied.s3Checksum).toMatch(/-3$/);
    expect(copied.s3Checksum).toBe(head.checksumSha256);
    expect(started).toHaveLength(1);
    expect(world.calls("GetJobOutput").map((c) => c.status)).toEqual([206, 206, 206]);
    expect(world.calls("UploadPart")).toHaveLength(3);
    expect(world.calls("CompleteMultipartUpload")).toHaveLength(1);
    expect(await openUploads(world)).toEqual([]);
  });

  it("copies archives one after another through the same shared part buffers, each object exact", async () => {
    const world = await migrateWorld();
    const large = await world.archive(LARGE, 3);
    const small = await world.archive(5 * MiB + 1, 4);
    const buffers = new BufferPool(2, PART);
    await copyArchive({ ...copyInput(world, large, "a.bin"), concurrency: 2, buffers });
    await copyArchive({ ...copyInput(world, small, "b.bin"), buffers });
    await expectCopied(world, large, "a.bin");
    await expectCopied(world, small, "b.bin");
  });

  it("writes the bytes of a multipart copy exactly, readable back from the bucket", async () => {
    const world = await migrateWorld();
    const source = await world.archive(LARGE, 11);
    await copyArchive(copyInput(world, source, "large.bin"));
    await expectCopied(world, source, "large.bin");
  });

  it("resumes a recorded upload, sending only the parts S3 lacks or holds with other bytes", async () => {
    const world = await migrateWorld();
    const source = await world.archive(LARGE);
    // What a run killed after two parts leaves: part 0 intact, part 1 with other bytes.
    const { uploadId } = await world.port.initiateMultipart({
      vault: ADDRESS,
      description: descriptionForName("resumed.bin"),
      partSize: PART,
      treeHash: source.treeHash,
      size: source.size,
      sourceArchiveId: source.archiveId,
    });
    const part0 = source.data.subarray(0, PART);
    const wrong = Buffer.alloc(PART, 1);
    for (const [start, body] of [
      [0, part0],
      [PART, wrong],
    ] as const)
      await world.port.uploadPart({
        vault: ADDRESS,
        uploadId,
        start,
        body,
        treeHash: treeHash(body),
        sha256: sha256(body),
      });
    world.clearLog();
    const started: string[] = [];
    const copied = await copyArchive({ ...copyInput(world, source, "resumed.bin", started), uploadId });
    expect(copied.adopted).toBe(false);
    expect(started).toEqual([]);
    expect(world.calls("ListParts").length).toBeGreaterThanOrEqual(1);
    expect(world.calls("CreateMultipartUpload")).toEqual([]);
    expect(world.calls("UploadPart")).toHaveLength(2);
    await expectCopied(world, source, "resumed.bin");
    expect(await openUploads(world)).toEqual([]);
  });

  it("leaves an aborted run's upload open for the next run, which continues it", async () => {
    const world = await migrateWorld();
    const source = await world.archive(LARGE);
    const controller = new AbortController();
    const recorded: string[] = [];
    const first = copyArchive({
      ...copyInput(world, source, "again.bin"),
      signal: controller.signal,
      onUploadStarted: (uploadId) => {
        recorded.push(uploadId);
        controller.abort(new Error("killed"));
        return Promise.resolve();
      },
    });
    await expect(first).rejects.toThrow("killed");
    expect(await openUploads(world)).toEqual(["again.bin"]);
    world.clearLog();
    const started: string[] = [];
    await copyArchive({ ...copyInput(world, source, "again.bin", started), uploadId: recorded[0] ?? null });
    expect(started).toEqual([]);
    expect(world.calls("CreateMultipartUpload")).toEqual([]);
    expect(world.calls("AbortMultipartUpload")).toEqual([]);
    await expectCopied(world, source, "again.bin");
    expect(await openUploads(world)).toEqual([]);
  });

  it("starts a new upload when the recorded one is gone", async () => {
    const world = await migrateWorld();
    const source = await world.archive(LARGE);
    const { uploadId } = await world.port.initiateMultipart({
      vault: ADDRESS,
      description: descriptionForName("gone.bin"),
      partSize: PART,
      treeHash: source.treeHash,
      size: source.size,
    });
    await world.port.abortMultipart(ADDRESS, uploadId);
    const started: string[] = [];
    await copyArchive({ ...copyInput(world, source, "gone.bin", started), uploadId });
    expect(started).toHaveLength(1);
    expect(started[0]).not.toBe(uploadId);
    await expectCopied(world, source, "gone.bin");
  });

  it("adopts an object already at the key with the same tree hash and size, copying nothing", async () => {
    const world = await migrateWorld();
    const source = await world.archive(LARGE);
    const first = await copyArchive(copyInput(world, source, "twice.bin"));
    world.clearLog();
    const started: string[] = [];
    const again = await copyArchive(copyInput(world, source, "twice.bin", started));
    expect(again).toEqual({ ...first, adopted: true });
    expect(started).toEqual([]);
    expect(world.calls().map((c) => c.operation)).toEqual(["HeadObject"]);
  });

  it("replaces a different object at the key only with the verified copy", async () => {
    const world = await migrateWorld();
    const other = await world.archive(2 * MiB, 3);
    await copyArchive(copyInput(world, other, "shared.bin"));
    const source = await world.archive(LARGE, 5);
    const copied = await copyArchive(copyInput(world, source, "shared.bin"));
    expect(copied.adopted).toBe(false);
    expect(await keys(world)).toEqual(["pre/shared.bin"]);
    await expectCopied(world, source, "shared.bin");
  });

  it("aborts uploads of the key that no ledger recorded, and leaves other keys' uploads alone", async () => {
    const world = await migrateWorld();
    const source = await world.archive(LARGE);
    const initiate = (name: string) =>
      world.port.initiateMultipart({
        vault: ADDRESS,
        description: descriptionForName(name),
        partSize: PART,
        treeHash: source.treeHash,
        size: source.size,
      });
    await initiate("orphaned.bin");
    await initiate("orphaned.bin");
    await initiate("neighbour.bin");
    const started: string[] = [];
    await copyArchive(copyInput(world, source, "orphaned.bin", started));
    expect(started).toHaveLength(1);
    expect(world.calls("AbortMultipartUpload")).toHaveLength(2);
    expect(await openUploads(world)).toEqual(["neighbour.bin"]);
    await expectCopied(world, source, "orphaned.bin");
  });

  it("reads a corrupted range again and copies the archive intact", async () => {
    const world = await migrateWorld();
    const source = await world.archive(LARGE);
    world.emulator.control.setFaults("corrupt,op=GetJobOutput,nth=2");
    world.clearLog();
    await copyArchive(copyInput(world, source, "healed.bin"));
    expect(world.calls("GetJobOutput").flatMap((c) => c.faults)).toEqual(["corrupt"]);
    expect(world.calls("GetJobOutput")).toHaveLength(4);
    await expectCopied(world, source, "healed.bin");
  });

  it("counts an upload whose completion answer was lost once HeadObject shows the object", async () => {
    const world = await migrateWorld();
    const source = await world.archive(LARGE);
    world.emulator.control.setFaults("reset-after,op=CompleteMultipartUpload,nth=1");
    world.clearLog();
    const copied = await copyArchive(copyInput(world, source, "lost.bin"));
    expect(world.calls("CompleteMultipartUpload").flatMap((c) => c.faults)).toEqual(["reset-after"]);
    expect(copied.archiveId).toBe(`lost.bin?treeHash=${source.treeHash}`);
    expect(copied.s3Checksum).toMatch(/-3$/);
    await expectCopied(world, source, "lost.bin");
  });

  it("fails with an integrity error when every read is corrupted, leaving nothing at the key", async () => {
    const world = await migrateWorld();
    const source = await world.archive(LARGE);
    world.emulator.control.setFaults("corrupt,op=GetJobOutput");
    const started: string[] = [];
    await expect(copyArchive(copyInput(world, source, "broken.bin", started))).rejects.toThrow(IntegrityError);
    expect(started).toHaveLength(1);
    expect(await keys(world)).toEqual([]);
    expect(await openUploads(world)).toEqual([]);
  });

  it("refuses a job output whose whole tree hash is not the archive's, leaving nothing at the key", async () => {
    const world = await migrateWorld();
    const source = await world.archive(LARGE);
    const other = await world.archive(LARGE, 9);
    const mixed = { ...source, jobId: other.jobId };
    await expect(copyArchive(copyInput(world, mixed, "mixed.bin"))).rejects.toThrow(/tree hash/);
    const small = await world.archive(MiB, 4);
    await expect(copyArchive(copyInput(world, { ...small, treeHash: source.treeHash }, "s.bin"))).rejects.toThrow(
      IntegrityError,
    );
    expect(await keys(world)).toEqual([]);
    expect(await openUploads(world)).toEqual([]);
  });
});
