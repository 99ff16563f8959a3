// Chunk keys (docs/annex-protocol.md#wire-format): "BACKEND[-sSIZE][-mMTIME][-SCHUNKSIZE-CCHUNKNUM]--NAME, with the
// fields always in that order", e.g. `SHA256E-s10000-S4096-C2--01fc...1d1d.bin`, "chunks are
// numbered from 1". Encrypted chunks are opaque GPGHMAC keys and have no visible siblings.

/** The other chunk keys of the same file, in order, or [] when the key is not an unencrypted chunk. */
export function siblingChunkKeys(key: Uint8Array, limit = 1000): Uint8Array[] {
  const text = Buffer.from(key).toString("latin1");
  const split = text.indexOf("--");
  if (split < 0) return [];
  const fields = text.slice(0, split).split("-");
  const value = (letter: string) => {
    const field = fields.slice(1).find((f) => f.startsWith(letter) && /^\d+$/.test(f.slice(1)));
    return field === undefined ? undefined : Number(field.slice(1));
  };
  const size = value("s");
  const chunkSize = value("S");
  const number = value("C");
  if (size === undefined || chunkSize === undefined || number === undefined || chunkSize <= 0) return [];
  const count = Math.min(Math.ceil(size / chunkSize), limit);
  const siblings: Uint8Array[] = [];
  for (let n = 1; n <= count; n++) {
    if (n === number) continue;
    const head = fields.map((f) => (f === `C${number}` ? `C${n}` : f)).join("-");
    siblings.push(Buffer.from(head + text.slice(split), "latin1"));
  }
  return siblings;
}
