// The download engine against the emulator over HTTP, faults included.
import { createHash } from "node:crypto";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { IntegrityError, UsageError } from "../../src/core/errors.ts";
import { MiB, treeHash } from "../../src/core/tree-hash.ts";
import type { JobDescription } from "../../src/core/types.ts";
import { downloadArchive } from "../../src/glacier/download.ts";
import { partialPaths } from "../../src/glacier/download-state.ts";
import { readAll, startHarness, type Harness } from "./helpers.ts";

async function archiveJob(size: number): Promise<{ harness: Harness; data: Buffer; job: JobDescription }> {
  const harness = await startHarness();
  await harness.port.createVault("v");
  const data = Buffer.from(Array.from({ length: size }, (_, k) => (k * 31 + (k >> 20)) & 0xff));
  const body = data;
  const { archiveId } = await harness.port.uploadArchive({
    vault: "v",
    body,
    treeHash: treeHash(body),
    sha256: createHash("sha256").update(body).digest("hex"),
  });
  const { jobId } = await harness.port.initiateJob("v", { type: "archive", archiveId });
  await harness.emulator.control.advanceClock(1);
  const job = await harness.port.describeJob("v", jobId);
  harness.clearLog();
  return { harness, data, job };
}

describe("download engine", () => {
  it("writes an archive in tree-hash-aligned ranges to the target and leaves no partial files", async () => {
    const { harness, data, job } = await archiveJob(5 * MiB + 3);
    const target = join(harness.dir, "restored.bin");
    const result = await downloadArchive({
      port: harness.port,
      job,
      chunkSize: 2 * MiB,
      target: { path: target },
      clock: harness.clock,
    });
    expect(result).toEqual({
      size: data.length,
      treeHash: treeHash(data),
      verified: true,
      rangesFetched: 3,
      rangesReused: 0,
    });
    expect((await readFile(target)).equals(data)).toBe(true);
    expect(harness.calls("GetJobOutput").map((c) => c.status)).toEqual([206, 206, 206]);
    expect((await readdir(harness.dir)).sort()).toEqual(["emulator", "restored.bin"]);
  });

  it("fetches a small archive with one request for the whole output", async () => {
    const { harness, data, job } = await archiveJob(1000);
    const target = join(harness.dir, "small");
    await downloadArchive({ port: harness.port, job, target: { path: target }, clock: harness.clock });
    expect((await readFile(target)).equals(data)).toBe(true);
    expect(harness.calls("GetJobOutput").map((c) => c.status)).toEqual([200]);
  });

  it("streams verified ranges in order to a writable target", async () => {
    const { harness, data, job } = await archiveJob(4 * MiB + 10);
    const sink = new PassThrough();
    const collected = readAll(sink);
    const result = await downloadArchive({
      port: harness.port,
      job,
      chunkSize: MiB,
      target: { stream: sink },
      concurrency: 3,
      clock: harness.clock,
    });
    sink.end();
    expect((await collected).equals(data)).toBe(true);
    expect(result.treeHash).toBe(treeHash(data));
  });

  it("fetches a range again after a corrupted, truncated or reset response", async () => {
    const { harness, data, job } = await archiveJob(4 * MiB);
    harness.emulator.control.setFaults(
      "corrupt,op=GetJobOutput,nth=1;truncate,op=GetJobOutput,nth=3;reset-body,op=GetJobOutput,nth=5",
    );
    const target = join(harness.dir, "out");
    await downloadArchive({
      port: harness.port,
      job,
      chunkSize: MiB,
      target: { path: target },
      concurrency: 1,
      clock: harness.clock,
    });
    expect((await readFile(target)).equals(data)).toBe(true);
    expect(harness.calls("GetJobOutput").flatMap((c) => c.faults)).toEqual(["corrupt", "truncate", "reset-body"]);
    expect(harness.calls("GetJobOutput")).toHaveLength(7);
  });

  it(
    "gives up with an integrity error when every response " + "is corrupted, keeping nothing under the final name",
    async () => {
      const { harness, job } = await archiveJob(2 * MiB);
      harness.emulator.control.setFaults("corrupt,op=GetJobOutput");
      const target = join(harness.dir, "never");
      const error = await downloadArchive({
        port: harness.port,
        job,
        chunkSize: MiB,
        target: { path: target },
        clock: harness.clock,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IntegrityError);
      expect((error as Error).message).toMatch(
        /^checksum mismatch for bytes 0-1048575 of job .+ \(gave up after 4 attempts\)$/,
      );
      expect(await readdir(harness.dir)).not.toContain("never");
    },
  );

  it("resumes an interrupted download, fetching only the ranges not yet verified", async () => {
    const { harness, data, job } = await archiveJob(6 * MiB);
    const target = join(harness.dir, "resumed.bin");
    let ranges = 0;
    const first = await downloadArchive({
      port: harness.port,
      job,
      chunkSize: MiB,
      target: { path: target },
      concurrency: 1,
      clock: harness.clock,
      onProgress: () => {
        if (++ranges === 2) harness.emulator.control.setFaults("500,op=GetJobOutput");
      },
    }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(Error);
    const paths = partialPaths(target);
    expect(JSON.parse(await readFile(paths.sidecar, "utf8"))).toMatchObject({
      archiveId: job.archiveId,
      size: data.length,
      chunkSize: MiB,
    });
    harness.emulator.control.setFaults("");
    harness.clearLog();
    const second = await downloadArchive({
      port: harness.port,
      job,
      chunkSize: MiB,
      target: { path: target },
      clock: harness.clock,
    });
    expect(second).toMatchObject({ rangesReused: 2, rangesFetched: 4 });
    expect(harness.calls("GetJobOutput")).toHaveLength(4);
    expect((await readFile(target)).equals(data)).toBe(true);
    expect((await readdir(harness.dir)).sort()).toEqual(["emulator", "resumed.bin"]);
  });

  it(
    "refuses the result when the whole archive does not match the job's tree hash, and discards the partial " + "file",
    async () => {
      const { harness, job } = await archiveJob(3 * MiB);
      const target = join(harness.dir, "mismatch");
      const lying = { ...job, archiveTreeHash: "f".repeat(64) };
      const error = await downloadArchive({
        port: harness.port,
        job: lying,
        chunkSize: MiB,
        target: { path: target },
        clock: harness.clock,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IntegrityError);
      expect((error as Error).message).toMatch(
        /^downloaded archive has tree hash [0-9a-f]{64}, but Glacier says f{64}; nothing was kept$/,
      );
      expect(await readdir(harness.dir)).toEqual(["emulator"]);
    },
  );

  it(
    "checks the bytes against the tree hash the caller knows when the job gives none, and says unverified when " +
      "nobody knows one",
    async () => {
      const { harness, data, job } = await archiveJob(2 * MiB);
      const { archiveTreeHash: _a, rangeTreeHash: _r, ...silent } = job;
      const known = { size: data.length, treeHash: "e".repeat(64), source: "the archive cache" };
      const error = await downloadArchive({
        port: harness.port,
        job: silent,
        known,
        target: { path: join(harness.dir, "k") },
        clock: harness.clock,
      }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(
        /^downloaded archive has tree hash [0-9a-f]{64}, but the archive cache says e{64}; nothing was kept$/,
      );
      const unknown = await downloadArchive({
        port: harness.port,
        job: silent,
        known: { size: data.length, source: "the archive cache" },
        target: { path: join(harness.dir, "u") },
        clock: harness.clock,
      });
      expect(unknown.verified).toBe(false);
      expect((await readFile(join(harness.dir, "u"))).equals(data)).toBe(true);
    },
  );

  it("refuses a job whose size disagrees with the size the caller knows before writing anything", async () => {
    const { harness, data, job } = await archiveJob(4000);
    const error = await downloadArchive({
      port: harness.port,
      job: { ...job, archiveSize: 0 },
      known: { size: data.length, source: "the archive cache" },
      target: { path: join(harness.dir, "z") },
      clock: harness.clock,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as Error).message).toMatch(
      /^Glacier says archive \S+ has 0 bytes, but the archive cache says 4000; nothing was written$/,
    );
    expect(await readdir(harness.dir)).toEqual(["emulator"]);
  });

  it("ignores a stale partial download of different content", async () => {
    const { harness, data, job } = await archiveJob(2 * MiB);
    const target = join(harness.dir, "stale");
    const paths = partialPaths(target);
    await writeFile(paths.temp, Buffer.alloc(2 * MiB, 9));
    await writeFile(
      paths.sidecar,
      JSON.stringify({
        version: 1,
        archiveId: "other",
        expectedTreeHash: null,
        size: 2 * MiB,
        chunkSize: MiB,
        ranges: { "0": "a".repeat(64) },
      }),
    );
    const result = await downloadArchive({
      port: harness.port,
      job,
      chunkSize: MiB,
      target: { path: target },
      clock: harness.clock,
    });
    expect(result.rangesReused).toBe(0);
    expect((await readFile(target)).equals(data)).toBe(true);
  });

  it("rejects a --multipart-size that is not a power-of-two number of MiB", async () => {
    const { harness, job } = await archiveJob(10);
    await expect(
      downloadArchive({
        port: harness.port,
        job,
        chunkSize: 3 * MiB,
        target: { path: join(harness.dir, "x") },
        clock: harness.clock,
      }),
    ).rejects.toThrow(UsageError);
  });
});
