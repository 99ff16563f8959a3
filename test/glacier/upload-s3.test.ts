// The upload engine on an s3:// address (the emulator's S3 API over HTTP): the digests of every part
// are computed before the upload starts, on the hash pool's worker threads (the built worker in
// dist/), and the parts are sent with them; a file whose bytes change after that read is refused.
import { open, stat, utimes } from "node:fs/promises";
import { describe, expect, it, onTestFinished } from "vitest";
import { FileError } from "../../src/core/errors.ts";
import { MiB, treeHash } from "../../src/core/tree-hash.ts";
import { uploadArchive } from "../../src/glacier/upload.ts";
import { MemoryUploadJournal } from "../../src/glacier/upload-journal.ts";
import type { PartHasher } from "../../src/glacier/upload-digests.ts";
import { HashPool } from "../../src/platform/hash-pool.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { ADDRESS, BUCKET, migrateWorld, readObject } from "./migrate-helpers.ts";
import { randomFile } from "./helpers.ts";

function hashPool(): HashPool {
  const pool = new HashPool({ size: 2, workerUrl: new URL("../../dist/hash-worker.js", import.meta.url) });
  onTestFinished(() => pool.close());
  return pool;
}

describe("upload engine on S3", () => {
  for (const threads of ["worker threads", "the calling thread"]) {
    it(`sends parts with the digests read before the upload, on ${threads}`, async () => {
      const world = await migrateWorld();
      const dir = await tempDir("glacier-s3-upload-");
      const { path, data } = await randomFile(dir, "big.bin", 2 * 8 * MiB + 12345);
      world.clearLog();
      const result = await uploadArchive({
        port: world.port,
        vault: ADDRESS,
        description: "big.bin",
        source: { path },
        partSize: 8 * MiB,
        concurrency: 2,
        ...(threads === "worker threads" ? { partHasher: hashPool() } : {}),
      });
      expect(result).toMatchObject({ size: data.length, treeHash: treeHash(data), partsSent: 3, partsReused: 0 });
      expect(world.calls("UploadPart").map((c) => c.status)).toEqual([200, 200, 200]);
      const object = await readObject(world, "big.bin");
      expect(object.data.equals(data)).toBe(true);
      expect(object.head.metadata).toEqual({ "sha256-tree-hash": treeHash(data), size: String(data.length) });
    });
  }

  it("refuses a file rewritten in place between its digests and its upload, and leaves nothing", async () => {
    const world = await migrateWorld();
    const dir = await tempDir("glacier-s3-upload-");
    const { path } = await randomFile(dir, "rewritten.bin", 3 * 8 * MiB);
    const pool = hashPool();
    const before = await stat(path);
    // The same size and modification time afterwards: only the bytes sent can tell.
    const rewriting: PartHasher = {
      close: () => pool.close(),
      hashParts: async (...args) => {
        const digests = await pool.hashParts(...args);
        const handle = await open(path, "r+");
        await handle.write(Buffer.from("changed"), 0, 7, 8 * MiB + 100);
        await handle.close();
        await utimes(path, before.atime, before.mtime);
        return digests;
      },
    };
    const journal = new MemoryUploadJournal();
    const error = await uploadArchive({
      port: world.port,
      vault: ADDRESS,
      description: "rewritten.bin",
      source: { path },
      partSize: 8 * MiB,
      concurrency: 1,
      journal,
      partHasher: rewriting,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).message).toBe(`${path}: file changed while it was being uploaded; nothing was stored`);
    expect(world.calls("UploadPart").map((c) => c.status)).toEqual([200, 400]);
    expect(world.calls("CompleteMultipartUpload")).toEqual([]);
    expect(await world.port.listMultipartUploads(ADDRESS)).toEqual([]);
    expect(await world.s3.listObjects(BUCKET, "", false)).toEqual([]);
    expect(journal.intents()).toEqual([]);
  });
});
