import { describe, expect, it } from "vitest";
import { siblingChunkKeys } from "./glacier-chunks.ts";

const text = (keys: Uint8Array[]) => keys.map((key) => Buffer.from(key).toString("latin1"));

describe("sibling chunk keys", () => {
  it("are the other chunks of the same file, numbered from 1 to ceil(size / chunk size)", () => {
    expect(text(siblingChunkKeys(Buffer.from("SHA256E-s10000-S4096-C2--01fc1d1d.bin")))).toEqual([
      "SHA256E-s10000-S4096-C1--01fc1d1d.bin",
      "SHA256E-s10000-S4096-C3--01fc1d1d.bin",
    ]);
  });

  it("keep the mtime field and a name that contains dashes", () => {
    expect(text(siblingChunkKeys(Buffer.from("WORM-s8-m1600000000-S4-C1--a-C1-b")))).toEqual([
      "WORM-s8-m1600000000-S4-C2--a-C1-b",
    ]);
  });

  it("do not exist for unchunked, size-less or encrypted keys", () => {
    expect(siblingChunkKeys(Buffer.from("SHA256E-s10000--01fc1d1d.bin"))).toEqual([]);
    expect(siblingChunkKeys(Buffer.from("URL--http&c%%example.com%foo"))).toEqual([]);
    expect(siblingChunkKeys(Buffer.from("GPGHMACSHA1--5286c79d0af3"))).toEqual([]);
  });

  it("stop at the limit for a key of very many chunks", () => {
    expect(siblingChunkKeys(Buffer.from("SHA256E-s1000000-S1-C1--x"), 10)).toHaveLength(9);
  });
});
