// File names are bytes on Linux, and not every byte string is UTF-8 (a clonezilla image made on a
// system with a Latin-1 locale). Archive names are text, so a name that is not valid UTF-8 is
// carried in text the way Python's "surrogateescape" error handler does (PEP 383,
// https://peps.python.org/pep-0383/): each byte that is not part of a valid UTF-8 sequence becomes
// the lone surrogate U+DC80..U+DCFF, and back. Valid UTF-8 never decodes to a lone surrogate, so the
// mapping is reversible and never changes a UTF-8 name.

const ESCAPED = /[\udc80-\udcff]/;
/** A lone surrogate that is not an escaped byte: no file name can produce it. */
const FOREIGN_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])(?:[\udc00-\udc7f]|[\udd00-\udfff])/;

/** The name of a file from its bytes (never fails). */
export function nameFromBytes(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) {
      out += String.fromCharCode(0xdc00 + bytes[i]!);
      i++;
    } else {
      out += Buffer.from(bytes.subarray(i, i + length)).toString("utf8");
      i += length;
    }
  }
  return out;
}

/** The bytes of a name made by nameFromBytes; undefined for a lone surrogate no file name gives. */
export function bytesFromName(name: string): Buffer | undefined {
  if (!ESCAPED.test(name)) return FOREIGN_SURROGATE.test(name) ? undefined : Buffer.from(name, "utf8");
  if (FOREIGN_SURROGATE.test(name)) return undefined;
  const parts: Buffer[] = [];
  let text = "";
  for (const ch of name) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 0xdc80 && code <= 0xdcff) {
      parts.push(Buffer.from(text, "utf8"), Buffer.from([code - 0xdc00]));
      text = "";
    } else text += ch;
  }
  parts.push(Buffer.from(text, "utf8"));
  return Buffer.concat(parts);
}

/** True when the name holds bytes that are not UTF-8 (so file system calls need its bytes). */
export function hasEscapedBytes(name: string): boolean {
  return ESCAPED.test(name);
}

/** The length of the valid, shortest-form UTF-8 sequence at i (no surrogates), or 0. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number) => i + k < bytes.length && (bytes[i + k]! & 0xc0) === 0x80;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const b1 = bytes[i + 1]!;
    if (b0 === 0xe0 && b1 < 0xa0) return 0; // overlong
    if (b0 === 0xed && b1 >= 0xa0) return 0; // a surrogate
    return 3;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const b1 = bytes[i + 1]!;
    if (b0 === 0xf0 && b1 < 0x90) return 0; // overlong
    if (b0 === 0xf4 && b1 >= 0x90) return 0; // above U+10FFFF
    return 4;
  }
  return 0;
}
