import { describe, expect, it } from "vitest";
import { createInventoryParser } from "./inventory.ts";

const HASH = "0".repeat(64);

describe("inventory parser by format", () => {
  it("parses JSON inventories with their date", () => {
    const parser = createInventoryParser("JSON");
    const archives = parser.push(
      Buffer.from(
        `{"InventoryDate":"2013-11-06T02:51:29Z","ArchiveList":[` +
          `{"ArchiveId":"A","ArchiveDescription":"d","CreationDate":"2013-01-01T00:00:00Z","Size":1,` +
          `"SHA256TreeHash":"${HASH}"}]}`,
      ),
    );
    expect([...archives, ...parser.end()].map((a) => a.archiveId)).toEqual(["A"]);
    expect(parser.inventoryDate).toBe(Date.UTC(2013, 10, 6, 2, 51, 29));
  });

  it("parses CSV inventories, which carry no date", () => {
    const parser = createInventoryParser("CSV");
    const archives = parser.push(
      Buffer.from(
        `ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash\nA,d,2013-01-01T00:00:00Z,1,${HASH}\n`,
      ),
    );
    expect([...archives, ...parser.end()].map((a) => a.description)).toEqual(["d"]);
    expect(parser.inventoryDate).toBeNull();
  });
});
