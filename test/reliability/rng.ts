// A seeded generator (mulberry32, src/core/random.ts), so a trial's kill instant and file sizes
// replay from its seed.
export { seeded } from "../../src/core/random.ts";

/** Bytes from the seeded generator: a trial's files are the same on every run of its seed. */
export function seededBytes(random: () => number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(random() * 256);
  return out;
}
