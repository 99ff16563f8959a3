import { describe, expect, it } from "vitest";
import { cachedArchive } from "../../test/helpers/cached-archive.ts";
import { assignKeys } from "./migrate-keys.ts";
import { migrationTargets } from "./migrate-targets.ts";

const archive = (id: string, name: string, creationDate: number) =>
  cachedArchive(id, name, { treeHash: `hash-${id}`, size: 10, creationDate });

describe("migration targets", () => {
  it("keeps the ledger's key of an archive and sends a new archive whose key is taken by id", () => {
    // The ledger recorded A at p/dup.txt; a newer upload B of dup.txt now gets the plain key in the plan.
    const keyed = assignKeys([archive("A", "dup.txt", 1), archive("B", "dup.txt", 2), archive("C", "c", 1)], "p/");
    expect(keyed.find((k) => k.archive.id === "B")?.key).toBe("p/dup.txt");
    const targets = migrationTargets(keyed, [{ archiveId: "A", targetKey: "p/dup.txt" }], "p/");
    expect(targets.items.map((i) => [i.archiveId, i.key])).toEqual(
      expect.arrayContaining([
        ["A", "p/dup.txt"],
        ["B", "p/by-id/B"],
        ["C", "p/c"],
      ]),
    );
    expect(targets.fresh.map((f) => [f.archiveId, f.key, f.treeHash])).toEqual(
      expect.arrayContaining([
        ["B", "p/by-id/B", "hash-B"],
        ["C", "p/c", "hash-C"],
      ]),
    );
    expect(targets.fresh).toHaveLength(2);
  });
});
