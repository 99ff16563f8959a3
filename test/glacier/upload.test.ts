// The upload engine against the emulator over HTTP, faults included.
import { appendFile, mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { FileError, UsageError } from "../../src/core/errors.ts";
import { MiB, treeHash } from "../../src/core/tree-hash.ts";
import { uploadArchive } from "../../src/glacier/upload.ts";
import { MemoryUploadJournal } from "../../src/glacier/upload-journal.ts";
import { createHash } from "node:crypto";
import { randomFile, readAll, startHarness, type Harness } from "./helpers.ts";

/** Retrieves an archive through a job and returns its bytes (the emulator completes jobs at once). */
async function retrieve(harness: Harness, archiveId: string): Promise<Buffer> {
  const { jobId } = await harness.port.initiateJob("v", { type: "archive", archiveId });
  await harness.emulator.control.advanceClock(1);
  return readAll((await harness.port.getJobOutput({ vault: "v", jobId })).body);
}

async function setUp(): Promise<Harness> {
  const harness = await startHarness();
  await harness.port.createVault("v");
  harness.clearLog();
  return harness;
}

describe("upload engine", () => {
  it("sends a file no larger than the part size in one UploadArchive request", async () => {
    const harness = await setUp();
    const { path, data } = await randomFile(harness.dir, "small.bin", 3 * MiB + 7);
    const result = await uploadArchive({
      port: harness.port,
      vault: "v",
      description: "small.bin",
      source: { path },
      wholeSha256: true,
    });
    expect(result).toMatchObject({
      size: data.length,
      treeHash: treeHash(data),
      partsSent: 1,
      sha256: createHash("sha256").update(data).digest("hex"),
    });
    expect(harness.calls().map((c) => c.operation)).toEqual(["UploadArchive"]);
    expect((await retrieve(harness, result.archiveId)).equals(data)).toBe(true);
  });

  it("sends a larger file as concurrent multipart parts whose hashes fold into the archive's tree hash", async () => {
    const harness = await setUp();
    const { path, data } = await randomFile(harness.dir, "big.bin", 5 * MiB + 3);
    const progress: number[] = [];
    const result = await uploadArchive({
      port: harness.port,
      vault: "v",
      source: { path },
      partSize: MiB,
      concurrency: 3,
      onProgress: (n) => progress.push(n),
    });
    expect(result).toMatchObject({
      size: data.length,
      treeHash: treeHash(data),
      partSize: MiB,
      partsSent: 6,
      partsReused: 0,
    });
    const operations = harness.calls().map((c) => c.operation);
    expect(operations[0]).toBe("InitiateMultipartUpload");
    expect(operations.filter((o) => o === "UploadMultipartPart")).toHaveLength(6);
    expect(operations.at(-1)).toBe("CompleteMultipartUpload");
    expect(progress.at(-1)).toBe(data.length);
    expect((await retrieve(harness, result.archiveId)).equals(data)).toBe(true);
  });

  it("streams standard input of unknown size as multipart parts, or one request when it is short", async () => {
    const harness = await setUp();
    const data = Buffer.alloc(3 * MiB + 11, 7);
    const chunks = Array.from({ length: Math.ceil(data.length / 65536) }, (_, k) =>
      data.subarray(k * 65536, (k + 1) * 65536),
    );
    const multi = await uploadArchive({
      port: harness.port,
      vault: "v",
      source: { stream: Readable.from(chunks), name: "<stdin>" },
      partSize: MiB,
    });
    expect(multi).toMatchObject({ size: data.length, treeHash: treeHash(data), partsSent: 4 });
    expect((await retrieve(harness, multi.archiveId)).equals(data)).toBe(true);
    const single = await uploadArchive({
      port: harness.port,
      vault: "v",
      source: { stream: Readable.from([Buffer.from("hello")]), name: "<stdin>" },
      partSize: MiB,
    });
    expect(single).toMatchObject({ size: 5, partsSent: 1 });
  });

  it("refuses an empty file, an empty stream, a directory and a missing file with one-line file errors", async () => {
    const harness = await setUp();
    const empty = join(harness.dir, "empty");
    await writeFile(empty, "");
    await mkdir(join(harness.dir, "folder"));
    const attempt = (source: Parameters<typeof uploadArchive>[0]["source"]) =>
      uploadArchive({ port: harness.port, vault: "v", source }).catch((e: unknown) => e);
    const errors = [
      await attempt({ path: empty }),
      await attempt({ stream: Readable.from([]), name: "<stdin>" }),
      await attempt({ path: join(harness.dir, "folder") }),
      await attempt({ path: join(harness.dir, "missing") }),
    ];
    expect(errors.every((e) => e instanceof FileError)).toBe(true);
    expect((errors as FileError[]).map((e) => e.reason)).toEqual([
      "file is empty, and Glacier cannot store an empty archive",
      "no data to upload, and Glacier cannot store an empty archive",
      "Is a directory",
      "No such file or directory",
    ]);
    expect(harness.calls()).toEqual([]);
  });

  it("rejects an invalid part size before sending anything", async () => {
    const harness = await setUp();
    const { path } = await randomFile(harness.dir, "f", 10);
    await expect(
      uploadArchive({ port: harness.port, vault: "v", source: { path }, partSize: 3 * MiB }),
    ).rejects.toThrow(UsageError);
    expect(harness.calls()).toEqual([]);
  });

  it(
    "retries a part after throttling, a 500, a 408 and a " + "connection reset, and still stores the right bytes",
    async () => {
      const harness = await setUp();
      harness.emulator.control.setFaults(
        [
          "throttle,op=UploadMultipartPart,nth=2",
          "500,op=UploadMultipartPart,nth=4",
          "408,op=UploadMultipartPart,nth=5",
          "reset-upload,op=UploadMultipartPart,nth=7",
        ].join(";"),
      );
      const { path, data } = await randomFile(harness.dir, "f", 4 * MiB);
      const result = await uploadArchive({
        port: harness.port,
        vault: "v",
        source: { path },
        partSize: MiB,
        concurrency: 2,
      });
      const parts = harness.calls("UploadMultipartPart");
      expect(parts.flatMap((p) => p.faults).sort()).toEqual(["408", "500", "reset-upload", "throttle"]);
      expect(parts.filter((p) => p.status === 204)).toHaveLength(4);
      // A reset can also cost a retry on a pooled socket the server closed, so at least one per fault.
      expect(harness.clock.sleeps.length).toBeGreaterThanOrEqual(4);
      expect((await retrieve(harness, result.archiveId)).equals(data)).toBe(true);
    },
  );

  it("resumes an interrupted multipart upload from the journal, sending only the missing parts", async () => {
    const harness = await setUp();
    const { path, data } = await randomFile(harness.dir, "resume.bin", 6 * MiB + 1);
    const journal = new MemoryUploadJournal();
    // Every part after the first three fails until the retries give up.
    let sent = 0;
    const first = await uploadArchive({
      port: harness.port,
      vault: "v",
      source: { path },
      partSize: MiB,
      concurrency: 1,
      journal,
      onProgress: () => {
        if (++sent === 3) harness.emulator.control.setFaults("500,op=UploadMultipartPart,p=1");
      },
    }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(Error);
    const [intent] = journal.intents();
    expect(intent).toMatchObject({ vault: "v", path, size: data.length, partSize: MiB });
    harness.emulator.control.setFaults("");
    harness.clearLog();
    const second = await uploadArchive({ port: harness.port, vault: "v", source: { path }, partSize: MiB, journal });
    expect(second.uploadId).toBe(intent!.uploadId);
    expect(second).toMatchObject({ partsReused: 3, partsSent: 4 });
    expect(harness.calls("UploadMultipartPart")).toHaveLength(second.partsSent);
    expect(harness.calls("InitiateMultipartUpload")).toHaveLength(0);
    expect(journal.intents()).toEqual([]);
    expect((await retrieve(harness, second.archiveId)).equals(data)).toBe(true);
  });

  it("sends again a part that Glacier holds with a different tree hash when resuming", async () => {
    const harness = await setUp();
    const { path, data } = await randomFile(harness.dir, "mixed.bin", 3 * MiB);
    const journal = new MemoryUploadJournal();
    const { uploadId } = await harness.port.initiateMultipart({ vault: "v", partSize: MiB });
    const info = await stat(path);
    await journal.intent({
      vault: "v",
      path,
      size: data.length,
      mtimeMs: info.mtimeMs,
      description: "",
      uploadId,
      partSize: MiB,
    });
    const good = data.subarray(0, MiB);
    const wrong = Buffer.alloc(MiB, 1);
    const hash = (b: Buffer) => ({ treeHash: treeHash(b), sha256: createHash("sha256").update(b).digest("hex") });
    await harness.port.uploadPart({ vault: "v", uploadId, start: 0, body: good, ...hash(good) });
    await harness.port.uploadPart({ vault: "v", uploadId, start: MiB, body: wrong, ...hash(wrong) });
    harness.clearLog();
    const result = await uploadArchive({ port: harness.port, vault: "v", source: { path }, partSize: MiB, journal });
    expect(result).toMatchObject({ uploadId, partsReused: 1, partsSent: 2 });
    expect((await retrieve(harness, result.archiveId)).equals(data)).toBe(true);
  });

  it("fails a file that grows while it is uploaded and leaves no upload and no journal entry", async () => {
    const harness = await setUp();
    const { path } = await randomFile(harness.dir, "growing.log", 4 * MiB);
    const journal = new MemoryUploadJournal();
    let grown = false;
    const error = await uploadArchive({
      port: harness.port,
      vault: "v",
      source: { path },
      partSize: MiB,
      concurrency: 1,
      journal,
      onProgress: () => {
        if (!grown) void appendFile(path, "more");
        grown = true;
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).message).toBe(`${path}: file changed while it was being uploaded; nothing was stored`);
    expect(journal.intents()).toEqual([]);
    expect(await harness.port.listMultipartUploads("v")).toEqual([]);
    expect(harness.calls("CompleteMultipartUpload")).toEqual([]);
  });

  it(
    "keeps a single-request upload's intent (name, size, tree hash) open when Glacier stored it but never " +
      "answered, and closes it once answered",
    async () => {
      const harness = await setUp();
      const { path, data } = await randomFile(harness.dir, "band.bin", 2 * MiB);
      const journal = new MemoryUploadJournal();
      harness.emulator.control.setFaults("reset-after,op=UploadArchive");
      const error = await uploadArchive({
        port: harness.port,
        vault: "v",
        description: "band",
        source: { path },
        journal,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      const stored = (await harness.emulator.control.dumpState()).vaults["v"]!.archives;
      expect(Object.keys(stored).length).toBeGreaterThan(0);
      expect(journal.intents()).toMatchObject([
        { vault: "v", path, size: data.length, description: "band", partSize: 0, treeHash: treeHash(data) },
      ]);
      expect(journal.intents()[0]!.uploadId).toMatch(/^single:/);
      harness.emulator.control.setFaults("");
      const again = new MemoryUploadJournal();
      await uploadArchive({ port: harness.port, vault: "v", description: "band", source: { path }, journal: again });
      expect(again.intents()).toEqual([]);
    },
  );

  it(
    "records an intent with the file's tree hash when a journaled multipart upload vanished from Glacier (it " +
      "may have completed unrecorded)",
    async () => {
      const harness = await setUp();
      const { path, data } = await randomFile(harness.dir, "gone.bin", 3 * MiB + 5);
      const journal = new MemoryUploadJournal();
      const info = await stat(path);
      await journal.intent({
        vault: "v",
        path,
        size: data.length,
        mtimeMs: info.mtimeMs,
        description: "",
        uploadId: "no-such-upload",
        partSize: MiB,
      });
      const result = await uploadArchive({ port: harness.port, vault: "v", source: { path }, partSize: MiB, journal });
      expect(result.uploadId).not.toBe("no-such-upload");
      expect(journal.intents()).toMatchObject([{ path, size: data.length, partSize: 0, treeHash: treeHash(data) }]);
      expect(journal.intents()[0]!.uploadId).toMatch(/^single:/);
    },
  );
});
