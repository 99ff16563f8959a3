// SHA-256 tree hash, docs/glacier-api.md#tree-hash:
// "Split the payload into 1 MiB chunks; the last may be shorter. Hash each chunk with SHA-256.
//  Repeat until one digest remains: walk the list left to right taking pairs; each pair becomes
//  SHA-256(left || right); if one digest is left over at the end of a level it is carried up
//  unchanged." Empty payload: SHA-256("") (what botocore and boto 2 return).
//
// node:crypto is pure computation (no I/O), so it is allowed in core.
import { createHash, type Hash } from "node:crypto";
import { defined } from "./errors.ts";

export const MiB = 1024 * 1024;

const EMPTY_SHA256 = createHash("sha256").digest();

/** Folds a level of digests pairwise until one remains (the odd one out is carried up unchanged). */
export function foldHashes(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return EMPTY_SHA256;
  let level = hashes.slice();
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = defined(level[i], "level[i]");
      const right = level[i + 1];
      next.push(right === undefined ? left : createHash("sha256").update(left).update(right).digest());
    }
    level = next;
  }
  return defined(level[0], "level[0]");
}

/** Hex form of foldHashes over hex inputs: the archive tree hash from its parts' tree hashes. */
export function foldHexHashes(hexes: readonly string[]): string {
  return foldHashes(hexes.map((h) => Buffer.from(h, "hex"))).toString("hex");
}

/**
 * Streaming tree hasher: feed bytes in chunks of any size, then digest. Also computes the plain
 * SHA-256 of the whole content in the same pass (Glacier wants both for every upload).
 * Keeps one digest per MiB (32 bytes each: 1.3 MB for a 40 GiB archive).
 */
export class TreeHasher {
  readonly #chunkHashes: Buffer[] = [];
  readonly #linear: Hash | undefined;
  #current: Hash = createHash("sha256");
  #currentLength = 0;
  #length = 0;

  constructor(options: { linear?: boolean } = {}) {
    this.#linear = options.linear ? createHash("sha256") : undefined;
  }

  get length(): number {
    return this.#length;
  }

  update(data: Uint8Array): this {
    let offset = 0;
    while (offset < data.length) {
      const take = Math.min(MiB - this.#currentLength, data.length - offset);
      const slice = data.subarray(offset, offset + take);
      // Both digests take the same slice (at most 1 MiB) in turn, so the second reads it from the
      // CPU cache: hashing a whole 8 MiB part linearly and then chunk by chunk read it from memory
      // twice (about 10% more CPU per byte, measured on 8 MiB bands).
      this.#linear?.update(slice);
      this.#current.update(slice);
      this.#currentLength += take;
      offset += take;
      if (this.#currentLength === MiB) this.#closeChunk();
    }
    this.#length += data.length;
    return this;
  }

  /** Digests of the complete MiB chunks so far plus the partial one, without consuming state. */
  chunkHashes(): Buffer[] {
    if (this.#currentLength === 0) return this.#chunkHashes.slice();
    return [...this.#chunkHashes, this.#current.copy().digest()];
  }

  digest(): Buffer {
    if (this.#length === 0) return EMPTY_SHA256;
    return foldHashes(this.chunkHashes());
  }

  hexDigest(): string {
    return this.digest().toString("hex");
  }

  /** Plain SHA-256 of everything fed (only with { linear: true }). */
  linearHexDigest(): string {
    if (!this.#linear) throw new Error("TreeHasher was created without linear hashing");
    return this.#linear.copy().digest("hex");
  }

  #closeChunk(): void {
    this.#chunkHashes.push(this.#current.digest());
    this.#current = createHash("sha256");
    this.#currentLength = 0;
  }
}

/** Tree hash of a whole in-memory payload. */
export function treeHash(data: Uint8Array): string {
  return new TreeHasher().update(data).hexDigest();
}

/**
 * Tree hash of bytes [start, end] (inclusive) of an archive whose MiB chunk digests are known.
 * Only meaningful for megabyte-aligned ranges; throws otherwise.
 */
export function treeHashOfChunkRange(chunkHashes: readonly Buffer[], start: number, end: number, size: number): string {
  if (!isMegabyteAligned(start, end, size)) throw new RangeError(`range ${start}-${end} is not megabyte aligned`);
  return foldHashes(chunkHashes.slice(start / MiB, Math.ceil((end + 1) / MiB))).toString("hex");
}

// docs/glacier-api.md#tree-hash-aligned-ranges: "Megabyte-aligned range [A, B]: A divisible by 1 MiB and (B+1)
// divisible by 1 MiB or B = size-1."
export function isMegabyteAligned(start: number, end: number, size: number): boolean {
  if (start < 0 || end < start || end >= size) return false;
  return start % MiB === 0 && ((end + 1) % MiB === 0 || end === size - 1);
}

// docs/glacier-api.md#tree-hash-aligned-ranges: "Tree-hash-aligned range: the tree built over [A, B] has a root equal
// to a node of the archive's tree, i.e. for some i >= 0: A = j*2^i MiB and B+1 = min((j+1)*2^i MiB, size). The whole
// archive always qualifies; an odd start (in MiB) allows only a 1 MiB range."
export function isTreeHashAligned(start: number, end: number, size: number): boolean {
  if (!isMegabyteAligned(start, end, size)) return false;
  if (start === 0 && end === size - 1) return true;
  const startMiB = start / MiB;
  for (let span = 1; span * MiB <= Math.max(size, MiB) * 2; span *= 2) {
    if (startMiB % span !== 0) break;
    const stop = Math.min((startMiB + span) * MiB, size);
    if (end + 1 === stop) return true;
    if (stop === size) break;
  }
  return false;
}
