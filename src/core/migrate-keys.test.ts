import { describe, expect, it } from "vitest";
import { cachedArchive } from "../../test/helpers/cached-archive.ts";
import { assignKeys, idDigest, unusableName } from "./migrate-keys.ts";
import type { CachedArchive } from "./types.ts";

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const archive = (id: string, name: string | null, over: Partial<CachedArchive> = {}) =>
  cachedArchive(id, name, { creationDate: t0, ...over });
const keys = (list: CachedArchive[], prefix = "p/") =>
  assignKeys(list, prefix).map((k) => [k.archive.id, k.key, k.placement]);

describe("object keys of a migration", () => {
  it("puts each archive at prefix plus its name, and unnamed ones under by-id", () => {
    expect(keys([archive("B", "photos/été.jpg"), archive("A", null), archive("C", "")])).toEqual([
      ["A", "p/by-id/A", "by-id"],
      ["C", "p/by-id/C", "by-id"],
      ["B", "p/photos/été.jpg", "name"],
    ]);
  });

  it("keeps archives of one name apart: the newest at the plain key, older ones with a time and id suffix", () => {
    const list = [
      archive("old", "a", { creationDate: t0 - DAY }),
      archive("new", "a", { creationDate: t0 }),
      archive("undated", "a", { creationDate: null }),
    ];
    expect(keys(list)).toEqual([
      ["new", "p/a", "name"],
      ["old", `p/a~20260101T030405Z~${idDigest("old")}`, "older"],
      ["undated", `p/a~undated~${idDigest("undated")}`, "older"],
    ]);
  });

  it("gives the same keys whatever the order of the inventory", () => {
    const list = [archive("x", "a"), archive("y", "a"), archive("z", "b"), archive("w", null)];
    expect(keys([...list].reverse())).toEqual(keys(list));
  });

  it("leaves out archives marked deleted here", () => {
    expect(keys([archive("gone", "a", { deletedHere: t0 }), archive("kept", "a")])).toEqual([["kept", "p/a", "name"]]);
  });

  it("sends names that are not usable keys under by-id, saying why", () => {
    expect(unusableName("a\nb", "")).toMatch(/control/);
    expect(unusableName("/abs", "")).toMatch(/segment/);
    expect(unusableName("a/../b", "")).toMatch(/segment/);
    expect(unusableName("dir/", "")).toMatch(/segment/);
    expect(unusableName("by-id/x", "")).toMatch(/by-id/);
    expect(unusableName(".glacier-migrate/v.jsonl", "")).toMatch(/report/);
    expect(unusableName("é".repeat(512), "")).toBeUndefined();
    expect(unusableName("é".repeat(512), "p/")).toMatch(/1024 bytes/);
    expect(keys([archive("A", "a\tb"), archive("B", "../up")], "")).toEqual([
      ["A", "by-id/A", "by-id"],
      ["B", "by-id/B", "by-id"],
    ]);
  });

  it("sends an older duplicate by id when its suffixed key is already another archive's name", () => {
    const suffixed = `a~20260101T030405Z~${idDigest("old")}`;
    const list = [archive("old", "a", { creationDate: t0 - DAY }), archive("new", "a"), archive("other", suffixed)];
    expect(keys(list, "")).toEqual([
      ["new", "a", "name"],
      ["other", suffixed, "name"],
      ["old", "by-id/old", "by-id"],
    ]);
  });
});
