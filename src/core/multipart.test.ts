import { describe, expect, it } from "vitest";
import { UsageError } from "./errors.ts";
import {
  DEFAULT_PART_SIZE,
  DEFAULT_STREAM_PART_SIZE,
  MAX_ARCHIVE_SIZE,
  MAX_PARTS,
  checkDownloadChunk,
  checkPartSize,
  choosePartSize,
  contentRange,
  isValidPartSize,
  parseByteRange,
  parseByteSize,
  splitRanges,
} from "./multipart.ts";
import { MiB, isTreeHashAligned } from "./tree-hash.ts";

const GiB = 1024 * MiB;

describe("part size", () => {
  it("accepts exactly 1 MiB times 2^k for k = 0..12", () => {
    const valid = Array.from({ length: 13 }, (_, k) => MiB * 2 ** k);
    expect(valid.every(isValidPartSize)).toBe(true);
    expect([0, MiB - 1, MiB + 1, 3 * MiB, 6 * MiB, 8 * GiB, 1.5 * MiB, -MiB].some(isValidPartSize)).toBe(false);
  });

  it("rejects an invalid --part-size with a usage error naming the flag", () => {
    expect(() => checkPartSize(3 * MiB)).toThrow(UsageError);
    expect(() => checkPartSize(3 * MiB)).toThrow(/--part-size must be 1 MiB times a power of two/);
    expect(checkPartSize(16 * MiB)).toBe(16 * MiB);
    expect(() => checkDownloadChunk(5 * MiB)).toThrow(/--multipart-size/);
  });

  it("uses the default part size for files that fit in 10,000 default parts", () => {
    expect(choosePartSize(1)).toBe(DEFAULT_PART_SIZE);
    expect(choosePartSize(DEFAULT_PART_SIZE * MAX_PARTS)).toBe(DEFAULT_PART_SIZE);
  });

  it("doubles the part size until the file fits in 10,000 parts", () => {
    expect(choosePartSize(DEFAULT_PART_SIZE * MAX_PARTS + 1)).toBe(2 * DEFAULT_PART_SIZE);
    expect(choosePartSize(1000 * GiB)).toBe(128 * MiB);
    expect(choosePartSize(MAX_ARCHIVE_SIZE)).toBe(4 * GiB);
  });

  it("refuses a file larger than 10,000 parts of 4 GiB", () => {
    expect(() => choosePartSize(MAX_ARCHIVE_SIZE + 1)).toThrow(/largest archive/);
  });

  it("keeps a requested part size unless 10,000 parts of it cannot hold the file", () => {
    expect(choosePartSize(100 * MiB, MiB)).toBe(MiB);
    expect(() => choosePartSize(MAX_PARTS * MiB + 1, MiB)).toThrow(/too small/);
  });

  it("uses the stream part size when the size is unknown", () => {
    expect(choosePartSize(undefined)).toBe(DEFAULT_STREAM_PART_SIZE);
    expect(choosePartSize(undefined, 2 * MiB)).toBe(2 * MiB);
  });
});

describe("ranges", () => {
  it("splits a size into consecutive inclusive ranges with a shorter last one", () => {
    expect(splitRanges(10, 4)).toEqual([
      { index: 0, start: 0, end: 3 },
      { index: 1, start: 4, end: 7 },
      { index: 2, start: 8, end: 9 },
    ]);
    expect(splitRanges(8, 4)).toHaveLength(2);
    expect(splitRanges(0, 4)).toEqual([]);
  });

  it("makes every download range of a power-of-two MiB size tree-hash aligned", () => {
    for (const size of [1, MiB, 3 * MiB + 5, 17 * MiB, 64 * MiB - 1]) {
      for (const chunk of [MiB, 2 * MiB, 8 * MiB]) {
        expect(splitRanges(size, chunk).every((r) => isTreeHashAligned(r.start, r.end, size))).toBe(true);
      }
    }
  });

  it("formats UploadMultipartPart's Content-Range", () => {
    expect(contentRange({ start: 0, end: MiB - 1 })).toBe("bytes 0-1048575/*");
  });

  it("parses Glacier's S-E ranges and rejects malformed ones", () => {
    expect(parseByteRange("0-1048575")).toEqual({ start: 0, end: 1048575 });
    expect(parseByteRange("5-4")).toBeUndefined();
    expect(parseByteRange("a-b")).toBeUndefined();
  });

  it("parses byte sizes with binary suffixes", () => {
    expect(parseByteSize("8388608")).toBe(8 * MiB);
    expect(parseByteSize("8M")).toBe(8 * MiB);
    expect(parseByteSize("8MiB")).toBe(8 * MiB);
    expect(parseByteSize("1g")).toBe(GiB);
    expect(parseByteSize("0")).toBeUndefined();
    expect(parseByteSize("8 MB x")).toBeUndefined();
  });
});
