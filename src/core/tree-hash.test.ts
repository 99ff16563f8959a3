import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  MiB,
  TreeHasher,
  foldHashes,
  isMegabyteAligned,
  isTreeHashAligned,
  treeHash,
  treeHashOfChunkRange,
} from "./tree-hash.ts";

const pattern = (length: number, mod: number) => Uint8Array.from({ length }, (_, k) => k % mod);

// docs/glacier-api.md#tree-hash, "Test vectors (computed with two independent implementations that agree)".
const vectors: [string, Uint8Array, string][] = [
  ["empty", new Uint8Array(0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ['"a"', Buffer.from("a"), "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"],
  ["1 MiB of 0x00", new Uint8Array(MiB), "30e14955ebf1352266dc2ff8067e68104607e750abb9d3b36582b8af909fcb58"],
  ["1 MiB + 1 of 0x00", new Uint8Array(MiB + 1), "28638dab8d5e1754a4ecb38b0ebe6df66c844f94aed142d4d0283d208bb786cd"],
  [
    "byte k = k mod 256, 3 MiB + 5",
    pattern(3 * MiB + 5, 256),
    "3a40c480b40f7bb85bf09feb4f90c63207c26a9aa101b0c611aa2ad9464e97c9",
  ],
  [
    "byte k = k mod 251, 5.5 MiB",
    pattern(5.5 * MiB, 251),
    "3493387cee361be12e24da9c024bf3e2a55f81df464f6ae822209f79a92248f5",
  ],
];

// A small deterministic PRNG so property runs are reproducible.
function prng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

describe("tree hash", () => {
  it.each(vectors)("hashes %s to the published vector", (_name, payload, expected) => {
    expect(treeHash(payload)).toBe(expected);
  });

  it.each(vectors)("gives the same hash for %s whatever sizes the bytes are fed in", (_name, payload, expected) => {
    const random = prng(payload.length);
    const hasher = new TreeHasher();
    for (let offset = 0; offset < payload.length;) {
      const take = 1 + Math.floor(random() * 700_000);
      hasher.update(payload.subarray(offset, offset + take));
      offset += take;
    }
    expect(hasher.hexDigest()).toBe(expected);
  });

  it("computes the plain SHA-256 in the same pass when asked", () => {
    const payload = pattern(3 * MiB + 5, 256);
    const hasher = new TreeHasher({ linear: true }).update(payload.subarray(0, 12345)).update(payload.subarray(12345));
    expect(hasher.linearHexDigest()).toBe(createHash("sha256").update(payload).digest("hex"));
    expect(hasher.hexDigest()).toBe("3a40c480b40f7bb85bf09feb4f90c63207c26a9aa101b0c611aa2ad9464e97c9");
  });

  it("folds the tree hashes of power-of-two parts into the tree hash of the whole, for random sizes", () => {
    const random = prng(42);
    for (let trial = 0; trial < 12; trial++) {
      const size = 1 + Math.floor(random() * 9 * MiB);
      const payload = Uint8Array.from({ length: size }, () => (random() * 256) | 0);
      const whole = treeHash(payload);
      for (let partSize = MiB; partSize < 2 * size || partSize === MiB; partSize *= 2) {
        const parts: Buffer[] = [];
        for (let offset = 0; offset < size; offset += partSize) {
          parts.push(Buffer.from(treeHash(payload.subarray(offset, offset + partSize)), "hex"));
        }
        expect(foldHashes(parts).toString("hex"), `size ${size}, part ${partSize / MiB} MiB`).toBe(whole);
      }
    }
  });

  it("computes the tree hash of a megabyte-aligned range from the chunk digests", () => {
    const payload = pattern(5.5 * MiB, 251);
    const chunks = new TreeHasher().update(payload).chunkHashes();
    expect(treeHashOfChunkRange(chunks, 2 * MiB, 4 * MiB - 1, payload.length)).toBe(
      treeHash(payload.subarray(2 * MiB, 4 * MiB)),
    );
    expect(treeHashOfChunkRange(chunks, 4 * MiB, payload.length - 1, payload.length)).toBe(
      treeHash(payload.subarray(4 * MiB)),
    );
    expect(() => treeHashOfChunkRange(chunks, 1, 10, payload.length)).toThrow(RangeError);
  });
});

describe("range alignment (docs/glacier-api.md#tree-hash-aligned-ranges)", () => {
  const size = 5.5 * MiB;
  it("accepts megabyte-aligned ranges and the tail of the archive", () => {
    expect(isMegabyteAligned(0, MiB - 1, size)).toBe(true);
    expect(isMegabyteAligned(3 * MiB, size - 1, size)).toBe(true);
    expect(isMegabyteAligned(MiB, 3 * MiB - 2, size)).toBe(false);
    expect(isMegabyteAligned(10, MiB - 1, size)).toBe(false);
    expect(isMegabyteAligned(0, size, size)).toBe(false);
  });

  it("accepts only ranges that are nodes of the archive's tree as tree-hash aligned", () => {
    expect(isTreeHashAligned(0, size - 1, size)).toBe(true);
    expect(isTreeHashAligned(0, 4 * MiB - 1, size)).toBe(true);
    expect(isTreeHashAligned(4 * MiB, size - 1, size)).toBe(true);
    expect(isTreeHashAligned(MiB, 2 * MiB - 1, size)).toBe(true);
    expect(isTreeHashAligned(MiB, 3 * MiB - 1, size)).toBe(false);
    expect(isTreeHashAligned(2 * MiB, 6 * MiB - 1, 8 * MiB)).toBe(false);
    expect(isTreeHashAligned(0, 3 * MiB - 1, size)).toBe(false);
    expect(isTreeHashAligned(2 * MiB, 3 * MiB - 1, 3 * MiB)).toBe(true);
  });
});
