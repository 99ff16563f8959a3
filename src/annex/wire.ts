// Bytes <-> protocol lines (docs/annex-protocol.md#wire-format). Nothing here decodes text: "The content is
// arbitrary bytes: git-annex does not define an encoding, and values may be invalid UTF-8", and
// "Only 0x20 and 0x0A are structural". So lines are split on 0x0A only, nothing is trimmed (a CR or
// trailing spaces belong to the last parameter), and Keys and Files stay Uint8Array end to end.

export const LF = 0x0a;
export const SP = 0x20;

const EMPTY = new Uint8Array(0);
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: false });

/**
 * Accumulates input chunks and hands out complete lines without their 0x0A, in the manner of
 * vscode-jsonrpc's MessageBuffer: a chunk may hold several lines, part of one, or end mid-character.
 */
export class LineBuffer {
  #buffer: Uint8Array = EMPTY;

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.#buffer.length === 0) {
      this.#buffer = Uint8Array.from(chunk);
      return;
    }
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer, 0);
    joined.set(chunk, this.#buffer.length);
    this.#buffer = joined;
  }

  /** The next complete line (without 0x0A), or undefined when no full line has arrived yet. */
  tryReadLine(): Uint8Array | undefined {
    const end = this.#buffer.indexOf(LF);
    if (end < 0) return undefined;
    const line = this.#buffer.subarray(0, end);
    this.#buffer = this.#buffer.subarray(end + 1);
    return line;
  }

  /** Bytes received after the last 0x0A: at end of input, a line that was cut short. */
  get partial(): Uint8Array {
    return this.#buffer.subarray(this.#buffer.lastIndexOf(LF) + 1);
  }
}

/** A line split at its first 0x20: the keyword, and the parameter bytes (undefined if no space). */
export interface SplitLine {
  keyword: Uint8Array;
  rest: Uint8Array | undefined;
}

export function splitKeyword(line: Uint8Array): SplitLine {
  const space = line.indexOf(SP);
  if (space < 0) return { keyword: line, rest: undefined };
  return { keyword: line.subarray(0, space), rest: line.subarray(space + 1) };
}

/**
 * Splits parameter bytes into exactly `count` fields: "Parameters are separated by one space. The
 * last parameter is the rest of the line, verbatim". Fields may be empty ("the separating space must
 * still be present"). Returns undefined when there are fewer separators than fields.
 */
export function splitFields(rest: Uint8Array, count: number): Uint8Array[] | undefined {
  if (count <= 0) return rest.length === 0 ? [] : undefined;
  const fields: Uint8Array[] = [];
  let start = 0;
  for (let i = 1; i < count; i++) {
    const space = rest.indexOf(SP, start);
    if (space < 0) return undefined;
    fields.push(rest.subarray(start, space));
    start = space + 1;
  }
  fields.push(rest.subarray(start));
  return fields;
}

/** One wire line: the fields joined by single spaces, then 0x0A. Callers check the field rules. */
export function encodeLine(fields: readonly Uint8Array[]): Uint8Array {
  let length = fields.length; // separators plus the final LF
  for (const field of fields) length += field.length;
  const line = new Uint8Array(length);
  let at = 0;
  fields.forEach((field, index) => {
    if (index > 0) line[at++] = SP;
    line.set(field, at);
    at += field.length;
  });
  line[at] = LF;
  return line;
}

export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** Bytes as text for humans and our own settings; invalid UTF-8 becomes U+FFFD (never for Keys). */
export function decodeText(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** Bytes as a one-byte-per-char string: for ASCII vocabulary (keywords) without decoding surprises. */
export function latin1(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}
