// The emulator's digest pool: the MD5 and S3 checksums of request bodies computed on worker threads
// (the built worker in dist/) are the ones node:crypto and the emulator's own CRC code compute on the
// calling thread, whatever the chunking and however many bodies share a worker; a body is not read
// faster than its worker hashes it, and a failed body leaves the pool usable and its reader free.
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it, onTestFinished } from "vitest";
import { type DigestName, inlineDigests } from "../../src/emulator/s3/body-digests.ts";
import { DigestPool } from "../../src/emulator/s3/digest-pool.ts";

const MiB = 1024 * 1024;
const ALL: DigestName[] = ["MD5", "SHA256", "SHA1", "CRC32", "CRC32C", "CRC64NVME"];

function pool(threads: number): DigestPool {
  const digests = new DigestPool({ workerUrl: new URL("../../dist/s3-digest-worker.js", import.meta.url), threads });
  onTestFinished(() => digests.close());
  return digests;
}

/** Feeds `data` in chunks of `chunk` bytes, waiting whenever the body's worker is behind. */
async function feed(body: ReturnType<DigestPool["open"]>, data: Buffer, chunk: number): Promise<void> {
  for (let start = 0; start < data.length; start += chunk) {
    const behind = body.update(data.subarray(start, start + chunk));
    if (behind) await behind;
  }
}

async function expected(names: DigestName[], data: Buffer): Promise<string[]> {
  const body = inlineDigests(names);
  await body.update(data);
  return (await body.result()).map((d) => d.toString("hex"));
}

describe("S3 digest pool", () => {
  it("computes every digest as the calling thread does, for empty, partial and multi-batch bodies", async () => {
    const digests = pool(2);
    for (const size of [0, 1, MiB - 1, MiB, 3 * MiB + 12345]) {
      const data = randomBytes(size);
      for (const chunk of [65_536, 1_000_003]) {
        const body = digests.open(ALL, undefined);
        await feed(body, data, chunk);
        const got = (await body.result()).map((d) => d.toString("hex"));
        expect(got, `${size} bytes in chunks of ${chunk}`).toEqual(await expected(ALL, data));
      }
    }
    const md5 = (await digests.open(["MD5"], undefined).result())[0];
    expect(md5?.toString("hex")).toBe(createHash("md5").digest("hex"));
  });

  it("keeps the digests of concurrent bodies apart, more bodies than workers", async () => {
    const digests = pool(2);
    const bodies = Array.from({ length: 5 }, (_, k) => randomBytes(2 * MiB + k * 1000));
    const results = await Promise.all(
      bodies.map(async (data, k) => {
        const names: DigestName[] = k % 2 === 0 ? ["MD5", "SHA256"] : ["MD5", "CRC32", "SHA1"];
        const body = digests.open(names, data.length);
        await feed(body, data, 65_536 + k);
        return { got: (await body.result()).map((d) => d.toString("hex")), want: await expected(names, data) };
      }),
    );
    for (const { got, want } of results) expect(got).toEqual(want);
  });

  it("makes the reader wait once a few batches of a body are at its worker", async () => {
    const digests = pool(1);
    const body = digests.open(["CRC32C"], undefined);
    const data = randomBytes(8 * MiB);
    const waits: boolean[] = [];
    for (let start = 0; start < data.length; start += MiB) {
      const behind = body.update(data.subarray(start, start + MiB));
      waits.push(behind !== undefined);
      if (behind) await behind;
    }
    expect(waits.slice(0, 3)).toEqual([false, false, false]);
    expect(waits).toContain(true);
    expect(await body.result()).toEqual((await expected(["CRC32C"], data)).map((h) => Buffer.from(h, "hex")));
  });

  it("hashes a body declared smaller than its threshold on the calling thread", async () => {
    const digests = pool(1);
    const small = digests.open(["MD5"], 1000);
    expect(small.update(randomBytes(1000))).toBeUndefined();
    expect(await small.result()).toHaveLength(1);
  });

  it("stays usable after a body is abandoned half-way", async () => {
    const digests = pool(1);
    const dropped = digests.open(["MD5", "SHA256"], 4 * MiB);
    await feed(dropped, randomBytes(3 * MiB + 5), 65_536);
    dropped.abandon();
    const data = randomBytes(2 * MiB + 7);
    const body = digests.open(["MD5", "SHA256"], data.length);
    await feed(body, data, 65_536);
    expect((await body.result()).map((d) => d.toString("hex"))).toEqual(await expected(["MD5", "SHA256"], data));
  });

  it("fails the bodies of a worker that cannot run rather than wait for it", async () => {
    const digests = new DigestPool({ workerUrl: new URL("../../dist/missing-worker.js", import.meta.url), threads: 1 });
    onTestFinished(() => digests.close());
    const body = digests.open(["MD5"], undefined);
    await feed(body, randomBytes(2 * MiB), MiB);
    await expect(body.result()).rejects.toThrow();
    // The rest of a failed body is dropped as it comes: the caller is neither held nor kept spinning.
    await feed(body, randomBytes(3 * MiB), 65_536);
  });
});
