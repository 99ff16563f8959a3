import { describe, expect, it } from "vitest";
import { ConsoleError } from "./errors.ts";
import { ambiguousNameMessage, displayRef, notFoundMessage, parseArchiveRef, singleMatch } from "./archive-ref.ts";

describe("parseArchiveRef", () => {
  it("reads id: refs as archive ids", () => {
    expect(parseArchiveRef("id:-abc_123")).toEqual({ by: "id", id: "-abc_123" });
  });

  it("reads name: refs as names, keeping any further prefix", () => {
    expect(parseArchiveRef("name:id:x")).toEqual({ by: "name", name: "id:x" });
  });

  it("reads any other ref as a whole name", () => {
    expect(parseArchiveRef("backup/2024 img")).toEqual({ by: "name", name: "backup/2024 img" });
    expect(parseArchiveRef("ID:x")).toEqual({ by: "name", name: "ID:x" });
  });
});

describe("displayRef", () => {
  it("shows an ordinary name as itself", () => {
    expect(displayRef({ id: "A1", name: "photos.tar" })).toBe("photos.tar");
  });

  it("prefixes name: to names that look like refs", () => {
    expect(displayRef({ id: "A1", name: "id:foo" })).toBe("name:id:foo");
    expect(displayRef({ id: "A1", name: "name:foo" })).toBe("name:name:foo");
  });

  it("shows the id of an archive with an empty or missing name", () => {
    expect(displayRef({ id: "A1", name: "" })).toBe("id:A1");
    expect(displayRef({ id: "A1", name: null })).toBe("id:A1");
  });

  it("gives a ref that parses back to the same archive", () => {
    for (const archive of [
      { id: "Z", name: "id:Z" },
      { id: "Z", name: null },
      { id: "Z", name: "plain" },
    ]) {
      const ref = parseArchiveRef(displayRef(archive));
      expect(ref.by === "id" ? ref.id : ref.name).toBe(ref.by === "id" ? archive.id : archive.name);
    }
  });
});

describe("messages about refs", () => {
  it("says an archive was not found with the ref in Python quotes", () => {
    expect(notFoundMessage("foo")).toBe("archive 'foo' not found");
    expect(notFoundMessage("it's")).toBe(`archive "it's" not found`);
  });

  it("lists every id of an ambiguous name on one line", () => {
    expect(ambiguousNameMessage("dup", ["id1", "id2"])).toBe(
      "archive 'dup' is ambiguous: 2 archives have this name (id:id1, id:id2); use id:<archive id> to choose one",
    );
  });
});

describe("singleMatch", () => {
  it("returns the only match, or undefined when there is none", () => {
    expect(singleMatch("a", [{ id: "1", name: "a" }])).toEqual({ id: "1", name: "a" });
    expect(singleMatch("a", [] as { id: string; name: string }[])).toBeUndefined();
  });

  it("refuses several matches with a console error naming the ids", () => {
    const rows = [
      { id: "1", name: "a" },
      { id: "2", name: "a" },
    ];
    expect(() => singleMatch("a", rows)).toThrow(ConsoleError);
    expect(() => singleMatch("a", rows)).toThrow("(id:1, id:2)");
  });
});
