// Incremental parser for CSV inventory output (docs/glacier-api.md#inventories):
// "header line `ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash`, then one line per
//  archive. A field may be wrapped in double quotes; fields containing `,` or `"` always are.
//  Inside a quoted field a `"` is written `\"` (backslash escape, not RFC-4180 doubling) and a
//  backslash is not escaped (so `a\"b` becomes `"a\\"b"` — ambiguous ...); header fields may also
//  arrive quoted; lines may end CRLF."
//
// The ambiguity is resolved by position instead of by escapes: only ArchiveDescription is free
// text (printable ASCII, so never a line break). ArchiveId is the text before the first comma and
// CreationDate, Size and SHA256TreeHash follow the last three commas, so the description is
// whatever lies between, unquoted once. Memory holds one line at a time.
import { malformedInventory, toInventoryArchive } from "./inventory-record.ts";
import type { InventoryArchive } from "./types.ts";

const HEADER = ["ArchiveId", "ArchiveDescription", "CreationDate", "Size", "SHA256TreeHash"];
/** Descriptions are at most 1,024 characters: a longer line is not an inventory line. */
const MAX_LINE_BYTES = 64 * 1024;

export class CsvInventoryParser {
  #pending: Buffer = Buffer.alloc(0);
  #line = 0;
  #sawHeader = false;
  readonly #decoder = new TextDecoder("utf-8");

  /** Feeds bytes; returns the archives of the lines they completed. */
  push(chunk: Uint8Array): InventoryArchive[] {
    const bytes = this.#pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#pending, chunk]);
    const out: InventoryArchive[] = [];
    let start = 0;
    for (let newline = bytes.indexOf(0x0a, start); newline !== -1; newline = bytes.indexOf(0x0a, start)) {
      this.#takeLine(bytes.subarray(start, newline), out);
      start = newline + 1;
    }
    this.#pending = Buffer.from(bytes.subarray(start));
    if (this.#pending.length > MAX_LINE_BYTES)
      throw malformedInventory(`line ${this.#line + 1} is longer than ${MAX_LINE_BYTES} bytes`);
    return out;
  }

  /** Ends the input: parses a last line without a newline and checks there was a header. */
  end(): InventoryArchive[] {
    const out: InventoryArchive[] = [];
    if (this.#pending.length > 0) this.#takeLine(this.#pending, out);
    this.#pending = Buffer.alloc(0);
    if (!this.#sawHeader) throw malformedInventory("the CSV header line is missing");
    return out;
  }

  #takeLine(raw: Uint8Array, out: InventoryArchive[]): void {
    this.#line += 1;
    let text = this.#decoder.decode(raw);
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (text === "") return;
    if (!this.#sawHeader) {
      const names = text.split(",").map(unquote);
      if (names.join(",") !== HEADER.join(","))
        throw malformedInventory(`line ${this.#line}: expected the header ${HEADER.join(",")}`);
      this.#sawHeader = true;
      return;
    }
    out.push(parseRecord(text, `line ${this.#line}`));
  }
}

function parseRecord(text: string, position: string): InventoryArchive {
  const first = text.indexOf(",");
  const third = text.lastIndexOf(",");
  const second = third > 0 ? text.lastIndexOf(",", third - 1) : -1;
  const before = second > 0 ? text.lastIndexOf(",", second - 1) : -1;
  if (first === -1 || before <= first) throw malformedInventory(`${position}: expected 5 fields`);
  return toInventoryArchive(
    {
      ArchiveId: unquote(text.slice(0, first)),
      ArchiveDescription: unquoteDescription(text.slice(first + 1, before)),
      CreationDate: unquote(text.slice(before + 1, second)),
      Size: unquote(text.slice(second + 1, third)),
      SHA256TreeHash: unquote(text.slice(third + 1)),
    },
    position,
  );
}

function unquote(field: string): string {
  return field.length >= 2 && field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1) : field;
}

function unquoteDescription(field: string): string {
  if (field.length < 2 || !field.startsWith('"') || !field.endsWith('"')) return field;
  return field.slice(1, -1).replaceAll('\\"', '"');
}
