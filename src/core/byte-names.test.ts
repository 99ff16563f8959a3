import { describe, expect, it } from "vitest";
import { bytesFromName, hasEscapedBytes, nameFromBytes } from "./byte-names.ts";

describe("file names that are not UTF-8", () => {
  it("keeps UTF-8 names as their text and escapes other bytes reversibly", () => {
    expect(nameFromBytes(Buffer.from("bands/Ünïcødé ☃"))).toBe("bands/Ünïcødé ☃");
    const latin1 = Buffer.from("caf\xe9.txt", "latin1");
    const name = nameFromBytes(latin1);
    expect(name).toBe("caf\uefe9.txt");
    expect(hasEscapedBytes(name)).toBe(true);
    expect(bytesFromName(name)).toEqual(latin1);
  });

  it("round-trips every byte string, including UTF-8 of the escape characters themselves", () => {
    const samples = [
      Buffer.from([0xee, 0xbe, 0x80]),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from([0xf4, 0x90, 0x80, 0x80]),
      Buffer.from("x\uef80y"),
    ];
    for (let i = 0; i < 2000; i++)
      samples.push(Buffer.from(Array.from({ length: 1 + (i % 7) }, (_, k) => (i * 31 + k * 97) % 256)));
    for (const bytes of samples) expect(bytesFromName(nameFromBytes(bytes))).toEqual(bytes);
  });
});
