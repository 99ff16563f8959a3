import { describe, expect, it } from "vitest";
import { ConsoleError } from "./errors.ts";
import { JsonInventoryParser } from "./inventory-json.ts";
import type { InventoryArchive } from "./types.ts";

const HASH = "ab".repeat(32);
const entry = (id: string, description = `desc ${id}`) =>
  `{"ArchiveId":"${id}","ArchiveDescription":${JSON.stringify(description)}` +
  `,"CreationDate":"2012-08-23T19:08:30Z","Size":3000000,"SHA256TreeHash":"${HASH}"}`;
const doc = (
  entries: string[],
  head = '"VaultARN":"arn:aws:glacier:us-east-1:012345678901:vaults/photos","InventoryDate":"2013-11-06T02:51:29Z",',
) => `{${head}"ArchiveList":[${entries.join(",")}]}`;

function parseAll(
  text: string | Uint8Array,
  chunkSize = 7,
): { archives: InventoryArchive[]; parser: JsonInventoryParser } {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  const parser = new JsonInventoryParser();
  const archives: InventoryArchive[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) archives.push(...parser.push(bytes.subarray(i, i + chunkSize)));
  archives.push(...parser.end());
  return { archives, parser };
}

describe("JSON inventory parser", () => {
  it("reads the vault ARN, the inventory date and every archive, whatever the chunk size", () => {
    for (const size of [1, 7, 4096]) {
      const { archives, parser } = parseAll(doc([entry("A"), entry("B", "naïve ☃")]), size);
      expect(parser.vaultArn).toBe("arn:aws:glacier:us-east-1:012345678901:vaults/photos");
      expect(parser.inventoryDate).toBe(Date.UTC(2013, 10, 6, 2, 51, 29));
      expect(archives).toEqual([
        {
          archiveId: "A",
          description: "desc A",
          creationDate: Date.UTC(2012, 7, 23, 19, 8, 30),
          size: 3000000,
          treeHash: HASH,
        },
        {
          archiveId: "B",
          description: "naïve ☃",
          creationDate: Date.UTC(2012, 7, 23, 19, 8, 30),
          size: 3000000,
          treeHash: HASH,
        },
      ]);
    }
  });

  it("yields each archive as soon as its entry closes", () => {
    const parser = new JsonInventoryParser();
    const text = doc([entry("A"), entry("B")]);
    const cut = text.indexOf("},{") + 1;
    expect(parser.push(Buffer.from(text.slice(0, cut))).map((a) => a.archiveId)).toEqual(["A"]);
    expect(parser.push(Buffer.from(text.slice(cut))).map((a) => a.archiveId)).toEqual(["B"]);
    expect(parser.end()).toEqual([]);
  });

  it("accepts an empty archive list, millisecond dates and a null description", () => {
    expect(parseAll(doc([])).archives).toEqual([]);
    const withNull = entry("A").replace('"desc A"', "null").replace("30Z", "30.123Z");
    expect(parseAll(doc([withNull])).archives[0]).toMatchObject({
      description: "",
      creationDate: Date.UTC(2012, 7, 23, 19, 8, 30, 123),
    });
  });

  it("holds archives back until an InventoryDate written after the list arrives", () => {
    const text = `{"ArchiveList":[${entry("A")}],"InventoryDate":"2013-11-06T02:51:29Z"}`;
    const parser = new JsonInventoryParser();
    expect(parser.push(Buffer.from(text.slice(0, text.indexOf("]") + 1)))).toEqual([]);
    expect(parser.push(Buffer.from(text.slice(text.indexOf("]") + 1))).map((a) => a.archiveId)).toEqual(["A"]);
  });

  it("returns every archive of an inventory pushed in many batches", () => {
    const parser = new JsonInventoryParser();
    parser.push(Buffer.from('{"InventoryDate":"2013-11-06T02:51:29Z","ArchiveList":['));
    let count = 0;
    for (let batch = 0; batch < 20; batch++) {
      const entries = Array.from({ length: 1000 }, (_, k) => entry(`id${batch}-${k}`));
      count += parser.push(Buffer.from((batch ? "," : "") + entries.join(","))).length;
    }
    count += parser.push(Buffer.from("]}")).length + parser.end().length;
    expect(count).toBe(20_000);
  });

  it.each([
    ["truncated JSON", doc([entry("A")]).slice(0, -5), "malformed inventory: not valid JSON ("],
    ["invalid JSON", '{"InventoryDate":}', "malformed inventory: not valid JSON ("],
    ["no InventoryDate", '{"ArchiveList":[]}', "malformed inventory: InventoryDate is missing"],
    [
      "a bad InventoryDate",
      '{"InventoryDate":"yesterday","ArchiveList":[]}',
      'malformed inventory: InventoryDate is not an ISO-8601 UTC date: "yesterday"',
    ],
    [
      "a bad tree hash",
      doc([entry("A").replace(HASH, "xyz")]),
      "malformed inventory: archive 1: SHA256TreeHash is not a SHA-256 hex digest",
    ],
    [
      "a negative size",
      doc([entry("A"), entry("B").replace("3000000", "-1")]),
      "malformed inventory: archive 2: Size is not a byte count: -1",
    ],
    ["an entry that is not an object", doc(["42"]), "malformed inventory: archive 1: not an object"],
    [
      "a missing ArchiveId",
      doc([entry("A").replace('"ArchiveId":"A",', "")]),
      "malformed inventory: archive 1: ArchiveId is missing",
    ],
    ["trailing data", `${doc([])} x`, "malformed inventory: "],
    [
      "a description over 2,048 characters",
      doc([entry("A", "d".repeat(2049))]),
      "malformed inventory: archive 1: ArchiveDescription is longer than 2048 characters",
    ],
    [
      "an archive ID over 2,048 characters",
      doc([entry("i".repeat(2049), "short")]),
      "malformed inventory: archive 1: ArchiveId is longer than 2048 characters",
    ],
  ])("rejects %s with one console error", (_what, text, message) => {
    let caught: unknown;
    try {
      parseAll(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConsoleError);
    expect((caught as Error).message.startsWith(message)).toBe(true);
    expect((caught as Error).message).not.toContain("\n");
  });
});
