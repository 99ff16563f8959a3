import { describe, expect, it } from "vitest";
import { archiveListLines, compareArchiveListRows, formatArchiveList, type ArchiveListRow } from "./archive-list.ts";

const row = (id: string, name: string | null, treeHash: string | null = null): ArchiveListRow => ({
  id,
  name,
  treeHash,
});
const plain = { forceIds: false, withHash: false };

describe("archive list output", () => {
  it("prints nothing at all for an empty vault", () => {
    expect(formatArchiveList([], plain)).toBe("");
    expect(formatArchiveList([], { forceIds: true, withHash: true })).toBe("");
  });

  it("prints unique names sorted, one display ref per line", () => {
    const rows = [row("i3", "b"), row("i1", "a"), row("i2", "id:x"), row("i4", null)];
    expect(formatArchiveList(rows, plain)).toBe("id:i4\na\nb\nname:id:x\n");
  });

  it("prints every member of a duplicate group as id and name", () => {
    const rows = [row("id_1", "archive_name_1"), row("id_3", "archive_name_3"), row("id_2", "archive_name_1")];
    expect(formatArchiveList(rows, plain)).toBe("id:id_1\tarchive_name_1\nid:id_2\tarchive_name_1\narchive_name_3\n");
  });

  it("prints None for the name of duplicate archives without a name", () => {
    expect(formatArchiveList([row("x", null), row("y", null)], plain)).toBe("id:x\tNone\nid:y\tNone\n");
  });

  it("prints every archive as id and name with --force-ids (glacier_test.py case 4)", () => {
    const rows = [
      row("id_1", "archive_name_1"),
      row("id_2", "archive_name_1"),
      row("id_3", "archive_name_3"),
      row("id_4", null),
    ];
    expect(formatArchiveList(rows, { forceIds: true, withHash: false })).toBe(
      "id:id_4\tNone\nid:id_1\tarchive_name_1\nid:id_2\tarchive_name_1\nid:id_3\tarchive_name_3\n",
    );
  });

  it("prints display ref and hash with --with-hash, without separating duplicates", () => {
    const rows = [row("i1", "a", "aa"), row("i2", "a", "bb"), row("i3", null, null)];
    expect(formatArchiveList(rows, { forceIds: false, withHash: true })).toBe("id:i3\tNone\na\taa\na\tbb\n");
  });

  it("prints id, hash and name with --force-ids --with-hash", () => {
    expect(formatArchiveList([row("i1", "a", "aa")], { forceIds: true, withHash: true })).toBe("id:i1\taa\ta\n");
  });

  it("orders names by code point like SQLite, not by UTF-16 units", () => {
    const rows = [row("1", "\u{1F600}"), row("2", "\uFF21"), row("3", "Z")];
    expect([...rows].sort(compareArchiveListRows).map((r) => r.id)).toEqual(["3", "2", "1"]);
  });

  it("streams lines from rows that are already sorted", () => {
    const lines = archiveListLines([row("1", "a"), row("2", "a"), row("3", "b")][Symbol.iterator](), plain);
    expect([...lines]).toEqual(["id:1\ta", "id:2\ta", "b"]);
  });
});
