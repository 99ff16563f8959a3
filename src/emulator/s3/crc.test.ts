import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Crc32c } from "./crc32c.ts";
import { Crc64Nvme } from "./crc64nvme.ts";

const CHECK = Buffer.from("123456789");

describe("CRC checksums", () => {
  // Check values of the CRC catalogue (https://reveng.sourceforge.io/crc-catalogue/).
  it("gives the catalogue check value of CRC-64/NVME for 123456789", () => {
    expect(new Crc64Nvme().update(CHECK).digest().toString("hex")).toBe("ae8b14860a799888");
  });

  it("gives the catalogue check value of CRC-32C for 123456789", () => {
    expect(new Crc32c().update(CHECK).digest().toString("hex")).toBe("e3069283");
  });

  // The S3 user guide's example: the CRC64NVME of an empty object is AAAAAAAAAAA=.
  it("gives all zeros for no bytes, as S3 reports for an empty object", () => {
    expect(new Crc64Nvme().digest().toString("base64")).toBe("AAAAAAAAAAA=");
  });

  it("gives the same CRC-64/NVME whatever the split of the input, slices of 8 or not", () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 31 + 7) & 0xff));
    const whole = new Crc64Nvme().update(data).digest();
    for (const cut of [1, 3, 8, 13, 999]) {
      expect(new Crc64Nvme().update(data.subarray(0, cut)).update(data.subarray(cut)).digest()).toEqual(whole);
    }
    expect(new Crc32c().update(data.subarray(0, 5)).update(data.subarray(5)).digest()).toEqual(
      new Crc32c().update(data).digest(),
    );
    expect(crc32(CHECK)).toBe(0xcbf43926);
  });
});

describe("CRC-64/NVME against the AWS SDK's implementation", () => {
  it("agrees with @aws-sdk/crc64-nvme on random inputs of many lengths", async () => {
    const { Crc64Nvme: SdkCrc64 } = await import("@aws-sdk/crc64-nvme");
    for (const length of [0, 1, 7, 8, 9, 63, 64, 1000, 65_537]) {
      const data = Buffer.from(Array.from({ length }, (_, i) => (i * 131 + length) & 0xff));
      const sdk = new SdkCrc64();
      sdk.update(data);
      expect(new Crc64Nvme().update(data).digest().toString("hex")).toBe(
        Buffer.from(await sdk.digest()).toString("hex"),
      );
    }
  });
});

describe("CRC combination", () => {
  it("gives the CRC of the whole from the CRCs of the parts, for CRC-32, CRC-32C and CRC-64/NVME", async () => {
    const { COMBINERS } = await import("./crc-combine.ts");
    const { newDigest } = await import("./checksums.ts");
    const data = Buffer.from(Array.from({ length: 300_001 }, (_, i) => (i * 37 + (i >> 8)) & 0xff));
    for (const algorithm of ["CRC32", "CRC32C", "CRC64NVME"] as const) {
      const whole = newDigest(algorithm);
      whole.update(data);
      const cuts = [0, 1, 100_000, 200_000, 200_000, 300_001];
      let combined: Buffer | undefined;
      for (let i = 1; i < cuts.length; i++) {
        const part = newDigest(algorithm);
        part.update(data.subarray(cuts[i - 1], cuts[i]));
        const digest = part.digest();
        combined =
          combined === undefined ? digest : COMBINERS[algorithm].combine(combined, digest, cuts[i]! - cuts[i - 1]!);
      }
      expect(combined!.toString("hex")).toBe(whole.digest().toString("hex"));
    }
  });
});
