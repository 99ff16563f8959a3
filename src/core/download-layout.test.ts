import { describe, expect, it } from "vitest";
import { downloadLayout } from "./download-layout.ts";

const MiB = 1024 * 1024;

describe("downloadLayout", () => {
  it("reads an object of parts of a power-of-two MiB by part, the last one shorter", () => {
    const layout = downloadLayout(20 * MiB + 5, 1 * MiB, { partSize: 8 * MiB, count: 3 });
    expect(layout.byPart).toBe(true);
    expect(layout.chunkSize).toBe(8 * MiB);
    expect(layout.ranges).toEqual([
      { index: 0, start: 0, end: 8 * MiB - 1 },
      { index: 1, start: 8 * MiB, end: 16 * MiB - 1 },
      { index: 2, start: 16 * MiB, end: 20 * MiB + 4 },
    ]);
  });

  it("reads an object of one verified part whole, whatever the chunk size", () => {
    const layout = downloadLayout(20 * MiB + 5, 8 * MiB, { partSize: 20 * MiB + 5, count: 1 });
    expect(layout).toEqual({
      ranges: [{ index: 0, start: 0, end: 20 * MiB + 4 }],
      chunkSize: 20 * MiB + 5,
      byPart: false,
    });
  });

  it("falls back to chunks when the parts could not fold into the tree hash or do not cover the size", () => {
    const chunked = { chunkSize: 8 * MiB, byPart: false };
    expect(downloadLayout(20 * MiB, 8 * MiB, { partSize: 5 * MiB, count: 4 })).toMatchObject(chunked);
    expect(downloadLayout(20 * MiB, 8 * MiB, { partSize: 8 * MiB, count: 2 })).toMatchObject(chunked);
    expect(downloadLayout(20 * MiB, 8 * MiB, { partSize: 19 * MiB, count: 1 })).toMatchObject(chunked);
    expect(downloadLayout(20 * MiB, 8 * MiB, undefined).ranges).toHaveLength(3);
    expect(downloadLayout(0, 8 * MiB, { partSize: 0, count: 1 }).ranges).toEqual([]);
  });
});
