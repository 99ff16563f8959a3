import { defined } from "./errors.ts";
// File names are bytes on Linux, and not every byte string is UTF-8 (a clonezilla image made on a
// system with a Latin-1 locale). Archive names are Unicode text (stored in the cache as UTF-8 and in
// descriptions as UTF-8), so a byte that is not part of valid UTF-8 is carried as a character of the
// Private Use Area, U+EF80 + (byte - 0x80), and back, as MirBSD's OPTU-8 does. Only bytes 0x80-0xFF
// can be invalid. So that the mapping is reversible, a valid UTF-8 sequence that decodes to
// U+EF80..U+EFFF is itself escaped byte by byte; every other UTF-8 name is its own text.

const ESCAPED = /[\uef80-\uefff]/;
const BASE = 0xef80 - 0x80;

/** The name of a file from its bytes (never fails). */
export function nameFromBytes(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    const text = length === 0 ? "" : Buffer.from(bytes.subarray(i, i + length)).toString("utf8");
    if (length === 0 || ESCAPED.test(text)) {
      const end = i + Math.max(1, length);
      for (; i < end; i++) out += String.fromCharCode(BASE + defined(bytes[i], "bytes[i]"));
    } else {
      out += text;
      i += length;
    }
  }
  return out;
}

/** The bytes of a name (the inverse of nameFromBytes). */
export function bytesFromName(name: string): Buffer {
  if (!ESCAPED.test(name)) return Buffer.from(name, "utf8");
  const parts: Buffer[] = [];
  let text = "";
  for (const ch of name) {
    const code = ch.charCodeAt(0);
    if (code >= 0xef80 && code <= 0xefff) {
      parts.push(Buffer.from(text, "utf8"), Buffer.from([code - BASE]));
      text = "";
    } else text += ch;
  }
  parts.push(Buffer.from(text, "utf8"));
  return Buffer.concat(parts);
}

/** True when the name holds escaped bytes (so file system calls need its bytes). */
export function hasEscapedBytes(name: string): boolean {
  return ESCAPED.test(name);
}

/** The length of the valid, shortest-form UTF-8 sequence at i (no surrogates), or 0. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = defined(bytes[i], "bytes[i]");
  if (b0 < 0x80) return 1;
  const cont = (k: number) => i + k < bytes.length && (defined(bytes[i + k], "bytes[i + k]") & 0xc0) === 0x80;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const b1 = defined(bytes[i + 1], "bytes[i + 1]");
    if (b0 === 0xe0 && b1 < 0xa0) return 0; // overlong
    if (b0 === 0xed && b1 >= 0xa0) return 0; // a surrogate
    return 3;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const b1 = defined(bytes[i + 1], "bytes[i + 1]");
    if (b0 === 0xf0 && b1 < 0x90) return 0; // overlong
    if (b0 === 0xf4 && b1 >= 0x90) return 0; // above U+10FFFF
    return 4;
  }
  return 0;
}
