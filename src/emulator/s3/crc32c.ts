// CRC-32C (Castagnoli), x-amz-checksum-crc32c: reflected polynomial 0x82f63b78, initial value and final
// XOR all ones (RFC 3720 appendix B.4). Table-driven, one byte at a time. (CRC-32 itself comes from
// node:zlib.)
const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  TABLE[n] = c >>> 0;
}

export class Crc32c {
  #crc = 0xffffffff;

  update(data: Uint8Array): this {
    let crc = this.#crc;
    for (let i = 0; i < data.length; i++) crc = (crc >>> 8) ^ (TABLE[(crc ^ (data[i] as number)) & 0xff] as number);
    this.#crc = crc >>> 0;
    return this;
  }

  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE((this.#crc ^ 0xffffffff) >>> 0, 0);
    return out;
  }
}
