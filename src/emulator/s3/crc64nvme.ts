import { defined } from "../../core/errors.ts";
// CRC-64/NVME, the checksum S3 computes for every object uploaded without one and the only full-object
// checksum it accepts for multipart uploads of any size (x-amz-checksum-crc64nvme). Reflected
// polynomial 0x9a6c9329ac4bc9b5, initial value and final XOR all ones (the NVM Express command set
// specification, "CRC-64/NVME" in the CRC catalogue: https://reveng.sourceforge.io/crc-catalogue/17plus.htm).
// Table-driven, slicing by 8; the 64-bit register is kept as two 32-bit halves (BigInt per byte would
// be about 50 times slower).

const POLY = 0x9a6c9329ac4bc9b5n;

function buildTables(): { lo: Uint32Array[]; hi: Uint32Array[] } {
  const base: bigint[] = [];
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ POLY : c >> 1n;
    base.push(c);
  }
  const all: bigint[][] = [base];
  for (let t = 1; t < 8; t++)
    all.push(
      base.map(
        (_, n) =>
          (defined(defined(all[t - 1], "all[t - 1]")[n], "all[t - 1][n]") >> 8n) ^
          defined(
            base[Number(defined(defined(all[t - 1], "all[t - 1]")[n], "all[t - 1][n]") & 0xffn)],
            'base[Number(defined(all[t - 1][n], "all[t - 1][...',
          ),
      ),
    );
  return {
    lo: all.map((table) => Uint32Array.from(table, (v) => Number(v & 0xffffffffn))),
    hi: all.map((table) => Uint32Array.from(table, (v) => Number(v >> 32n))),
  };
}

const { lo: LO, hi: HI } = buildTables();

/** An incremental CRC-64/NVME: update() with the bytes in order, then digest() (8 bytes, big-endian). */
export class Crc64Nvme {
  #lo = 0xffffffff;
  #hi = 0xffffffff;

  update(data: Uint8Array): this {
    let lo = this.#lo;
    let hi = this.#hi;
    let i = 0;
    const n = data.length;
    const [l0, l1, l2, l3, l4, l5, l6, l7] = LO as [
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];
    const [h0, h1, h2, h3, h4, h5, h6, h7] = HI as [
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];
    for (; i + 8 <= n; i += 8) {
      const a =
        (lo ^
          ((data[i] as number) |
            ((data[i + 1] as number) << 8) |
            ((data[i + 2] as number) << 16) |
            ((data[i + 3] as number) << 24))) >>>
        0;
      const b =
        (hi ^
          ((data[i + 4] as number) |
            ((data[i + 5] as number) << 8) |
            ((data[i + 6] as number) << 16) |
            ((data[i + 7] as number) << 24))) >>>
        0;
      lo =
        (l7[a & 0xff] as number) ^
        (l6[(a >>> 8) & 0xff] as number) ^
        (l5[(a >>> 16) & 0xff] as number) ^
        (l4[a >>> 24] as number) ^
        (l3[b & 0xff] as number) ^
        (l2[(b >>> 8) & 0xff] as number) ^
        (l1[(b >>> 16) & 0xff] as number) ^
        (l0[b >>> 24] as number);
      hi =
        (h7[a & 0xff] as number) ^
        (h6[(a >>> 8) & 0xff] as number) ^
        (h5[(a >>> 16) & 0xff] as number) ^
        (h4[a >>> 24] as number) ^
        (h3[b & 0xff] as number) ^
        (h2[(b >>> 8) & 0xff] as number) ^
        (h1[(b >>> 16) & 0xff] as number) ^
        (h0[b >>> 24] as number);
    }
    for (; i < n; i++) {
      const idx = (lo ^ (data[i] as number)) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ (l0[idx] as number);
      hi = (hi >>> 8) ^ (h0[idx] as number);
    }
    this.#lo = lo >>> 0;
    this.#hi = hi >>> 0;
    return this;
  }

  digest(): Buffer {
    const out = Buffer.alloc(8);
    out.writeUInt32BE((this.#hi ^ 0xffffffff) >>> 0, 0);
    out.writeUInt32BE((this.#lo ^ 0xffffffff) >>> 0, 4);
    return out;
  }
}
