import { defined } from "../../core/errors.ts";
// The CRC of A||B from crc(A), crc(B) and the length of B, for CRC-32, CRC-32C and CRC-64/NVME
// (reflected, initial value and final XOR all ones), so that a multipart upload's FULL_OBJECT
// checksum comes from its parts' checksums without reading the object again. The method is zlib's
// crc32_combine (https://github.com/madler/zlib/blob/master/crc32.c): appending n zero bytes is a
// linear map over GF(2), kept as a matrix of `width` columns and raised to the n-th power by squaring.

type Matrix = bigint[];

function times(matrix: Matrix, vector: bigint): bigint {
  let sum = 0n;
  for (let i = 0; vector !== 0n; i++, vector >>= 1n) if (vector & 1n) sum ^= defined(matrix[i], "matrix[i]");
  return sum;
}

const multiply = (a: Matrix, b: Matrix): Matrix => b.map((column) => times(a, column));

export class CrcCombiner {
  readonly #byZeros = new Map<number, Matrix>();
  readonly #oneByte: Matrix;
  readonly #width: number;

  /** `poly`: the reflected polynomial (0xedb88320 for CRC-32). */
  constructor(poly: bigint, width: number) {
    this.#width = width;
    // The operator for one zero bit, squared three times: one zero byte.
    let op: Matrix = [poly, ...Array.from({ length: width - 1 }, (_, n) => 1n << BigInt(n))];
    for (let i = 0; i < 3; i++) op = multiply(op, op);
    this.#oneByte = op;
  }

  /** The operator appending `length` zero bytes (cached: the parts of an upload mostly share one size). */
  #zeros(length: number): Matrix {
    let known = this.#byZeros.get(length);
    if (known) return known;
    let result: Matrix = Array.from({ length: this.#width }, (_, n) => 1n << BigInt(n));
    let op = this.#oneByte;
    for (let n = length; n > 0; n = Math.floor(n / 2)) {
      if (n % 2 === 1) result = multiply(op, result);
      if (n > 1) op = multiply(op, op);
    }
    known = result;
    this.#byZeros.set(length, known);
    return known;
  }

  /** crc(A||B), the CRCs as big-endian digests. */
  combine(first: Buffer, second: Buffer, secondLength: number): Buffer {
    const value =
      times(this.#zeros(secondLength), BigInt(`0x${first.toString("hex")}`)) ^ BigInt(`0x${second.toString("hex")}`);
    return Buffer.from(value.toString(16).padStart(this.#width / 4, "0"), "hex");
  }
}

export const COMBINERS = {
  CRC32: new CrcCombiner(0xedb88320n, 32),
  CRC32C: new CrcCombiner(0x82f63b78n, 32),
  CRC64NVME: new CrcCombiner(0x9a6c9329ac4bc9b5n, 64),
} as const;
