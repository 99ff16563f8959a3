import { describe, expect, it } from "vitest";
import { cachedArchive } from "../../test/helpers/cached-archive.ts";
import { liveArchives, uploadedAt } from "./live-archives.ts";
import type { CachedArchive } from "./types.ts";

const row = (id: string, name: string | null, over: Partial<CachedArchive> = {}) =>
  cachedArchive(id, name, { creationDate: 100, ...over });

describe("live archives", () => {
  it("takes the newest live archive per name under the prefix, names sorted", () => {
    const rows = [
      row("b-old", "p/b", { creationDate: 1 }),
      row("b-new", "p/b", { creationDate: 2 }),
      row("a", "p/a"),
      row("gone", "p/c", { deletedHere: 5 }),
      row("outside", "q/a"),
      row("nameless", null),
      row("manifest", ".glacier-manifest/p/1.jsonl"),
    ];
    const live = liveArchives(rows, "p/");
    expect([...live.newest].map(([name, a]) => [name, a.id])).toEqual([
      ["p/a", "a"],
      ["p/b", "b-new"],
    ]);
    expect(live.duplicates.map((d) => [d.name, d.newest.id, d.older.map((o) => o.id)])).toEqual([
      ["p/b", "b-new", ["b-old"]],
    ]);
  });

  it(
    "dates an archive by its Glacier creation date, else by when the cache recorded it, and ranks undated ones " +
      "oldest",
    () => {
      expect(uploadedAt(row("x", "a", { creationDate: null, createdHere: 7 }))).toBe(7);
      const live = liveArchives(
        [row("undated", "a", { creationDate: null }), row("dated", "a", { creationDate: 0 })],
        "",
      );
      expect(live.newest.get("a")?.id).toBe("dated");
    },
  );

  it("breaks a tie of dates by the larger id, so the choice never depends on row order", () => {
    const a = row("id-a", "n");
    const b = row("id-b", "n");
    expect(liveArchives([a, b], "").newest.get("n")?.id).toBe("id-b");
    expect(liveArchives([b, a], "").newest.get("n")?.id).toBe("id-b");
  });
});
