import { mkdtemp, open, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeSparse } from "./sparse-write.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function file(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sparse-write-"));
  dirs.push(dir);
  return join(dir, "band");
}

describe("sparse writes", () => {
  it("writes only the blocks that are not all zeros, so the file reads the same and occupies less", async () => {
    const path = await file();
    const data = Buffer.alloc(1024 * 1024);
    data.fill(7, 4096 * 10, 4096 * 10 + 100);
    data.fill(9, data.length - 1);
    const handle = await open(path, "w");
    const written = await writeSparse(handle, data, 0, { blockSize: 4096, zeroFrom: 0 });
    await handle.truncate(data.length);
    await handle.close();
    expect(written).toBe(2 * 4096);
    expect(Buffer.compare(await readFile(path), data)).toBe(0);
    expect((await stat(path)).blocks * 512).toBeLessThanOrEqual(64 * 1024);
  });

  it("writes zero blocks where the file already held bytes (a resumed partial file)", async () => {
    const path = await file();
    const handle = await open(path, "w");
    await handle.write(Buffer.alloc(8192, 1), 0, 8192, 0);
    const written = await writeSparse(handle, Buffer.alloc(16384), 0, { blockSize: 4096, zeroFrom: 8192 });
    await handle.truncate(16384);
    await handle.close();
    expect(written).toBe(8192);
    expect(Buffer.compare(await readFile(path), Buffer.alloc(16384))).toBe(0);
  });

  it("aligns holes to blocks of the file, not of the buffer", async () => {
    const path = await file();
    const handle = await open(path, "w");
    // Starts mid-block: the first partial block holds a byte, the rest are zeros.
    const data = Buffer.alloc(3 * 4096);
    data[0] = 1;
    const written = await writeSparse(handle, data, 2048, { blockSize: 4096, zeroFrom: 0 });
    await handle.truncate(2048 + data.length);
    await handle.close();
    expect(written).toBe(2048);
    const back = await readFile(path);
    expect(back[2048]).toBe(1);
    expect(back.subarray(2049).every((b) => b === 0)).toBe(true);
  });
});
