import { describe, expect, it } from "vitest";
import { ConsoleError } from "./errors.ts";
import { CsvInventoryParser } from "./inventory-csv.ts";
import type { InventoryArchive } from "./types.ts";

const HASH = "cd".repeat(32);
const HEADER = "ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash\n";
const line = (id: string, description: string) => `${id},${description},2012-08-23T19:08:30Z,3000000,${HASH}\n`;
const created = Date.UTC(2012, 7, 23, 19, 8, 30);

function parseAll(text: string, chunkSize = 5): InventoryArchive[] {
  const bytes = Buffer.from(text);
  const parser = new CsvInventoryParser();
  const out: InventoryArchive[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) out.push(...parser.push(bytes.subarray(i, i + chunkSize)));
  out.push(...parser.end());
  return out;
}
const descriptions = (text: string) => parseAll(text).map((a) => a.description);

describe("CSV inventory parser", () => {
  it("reads each archive line after the header, whatever the chunk size", () => {
    for (const size of [1, 5, 1000]) {
      expect(parseAll(HEADER + line("A", "plain name"), size)).toEqual([
        { archiveId: "A", description: "plain name", creationDate: created, size: 3000000, treeHash: HASH },
      ]);
    }
  });

  it("unquotes quoted fields, commas included", () => {
    expect(descriptions(HEADER + line('"A"', '"a, b"'))).toEqual(["a, b"]);
  });

  it('reads \\" inside a quoted description as a quote', () => {
    expect(descriptions(HEADER + line("A", '"say \\"hi\\""'))).toEqual(['say "hi"']);
  });

  it("keeps a backslash before a quote that Amazon wrote unescaped", () => {
    // The description a\"b is written "a\\"b" (docs/glacier-api.md#inventories).
    expect(descriptions(HEADER + line("A", '"a\\\\"b"'))).toEqual(['a\\"b']);
  });

  it("keeps a description that ends in a backslash", () => {
    expect(descriptions(HEADER + line("A", '"dir\\"'))).toEqual(["dir\\"]);
  });

  it("accepts a quoted header, CRLF line ends, an empty description and a last line without newline", () => {
    const text =
      '"ArchiveId","ArchiveDescription","CreationDate","Size","SHA256TreeHash"\r\n' +
      `A,,2012-08-23T19:08:30Z,"7",${HASH}`;
    expect(parseAll(text)).toEqual([
      { archiveId: "A", description: "", creationDate: created, size: 7, treeHash: HASH },
    ]);
  });

  it("reads an inventory with only a header as empty", () => {
    expect(parseAll(HEADER)).toEqual([]);
  });

  it.each([
    ["no header", "", "malformed inventory: the CSV header line is missing"],
    [
      "a wrong header",
      "Id,Name\n",
      "malformed inventory: line 1: expected the header ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash",
    ],
    ["too few fields", `${HEADER}A,2012-08-23T19:08:30Z,3,${HASH}\n`, "malformed inventory: line 2: expected 5 fields"],
    [
      "a bad size",
      HEADER + line("A", "x").replace("3000000", "3e6"),
      'malformed inventory: line 2: Size is not a byte count: "3e6"',
    ],
    [
      "a bad date",
      HEADER + line("A", "x").replace("2012-08-23T19:08:30Z", "23/08/2012"),
      'malformed inventory: line 2: CreationDate is not an ISO-8601 UTC date: "23/08/2012"',
    ],
    ["an endless line", HEADER + "x".repeat(70_000), "malformed inventory: line 2 is longer than 65536 bytes"],
  ])("rejects %s with one console error", (_what, text, message) => {
    expect(() => parseAll(text, 4096)).toThrow(ConsoleError);
    expect(() => parseAll(text, 4096)).toThrow(message);
  });
});
