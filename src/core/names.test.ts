import { describe, expect, it } from "vitest";
import { ConsoleError } from "./errors.ts";
import { decodeDescription, descriptionForName, isVerbatimName, nameFromDescription } from "./names.ts";

// Vectors made with Python's base64 and json modules (independent of this code).
const MT2 = "mt2 eyJtdGltZSI6IjIwMTIxMjI1VDEwMDAwMFoiLCJmaWxlbmFtZSI6ImRpci_RhNCw0LnQuy50eHQifQ";
const MT1 = "mt1 eyJtdGltZSI6IjIwMTIxMjI1VDEwMDAwMFoiLCJmaWxlbmFtZSI6ImRpci_DkcKEw5DCsMOQwrnDkMK7LnR4dCJ9";
const FAST_GLACIER = "<m><v>2</v><p>0KTQvtGC0L4vSU1HIDEuanBn</p><lm>20140102T030405Z</lm></m>";

describe("names stored verbatim", () => {
  it("keeps printable ASCII names, git-annex keys included, as their own description", () => {
    for (const name of ["SHA256E-s1234--abc.ext", "a b/c~!@#$%^&*()'\"", "x ", "", "~".repeat(1024)]) {
      expect(descriptionForName(name)).toBe(name);
      expect(nameFromDescription(name)).toBe(name);
    }
  });

  it("reads a description no tool encoded as a plain name", () => {
    expect(decodeDescription("gcli1 report")).toEqual({ name: "gcli1 report", origin: "plain" });
    expect(decodeDescription("mt2 not-json")).toEqual({ name: "mt2 not-json", origin: "plain" });
  });
});

describe("names that Glacier cannot hold as they are", () => {
  it("encodes non-ASCII text and control characters as gcli1 + base64url of the UTF-8", () => {
    expect(descriptionForName("café\n")).toBe("gcli1 Y2Fmw6kK");
    expect(decodeDescription("gcli1 Y2Fmw6kK")).toEqual({ name: "café\n", origin: "glacier-cli" });
  });

  it("encodes a name with a leading space, which Glacier would strip", () => {
    const description = descriptionForName(" lead");
    expect(description).toBe("gcli1 IGxlYWQ");
    expect(nameFromDescription(description)).toBe(" lead");
  });

  it("encodes a printable name that would otherwise be read as an encoded or foreign one", () => {
    for (const name of ["gcli1 Y2Fmw6kK", MT2, FAST_GLACIER]) {
      const description = descriptionForName(name);
      expect(description.startsWith("gcli1 ")).toBe(true);
      expect(isVerbatimName(name)).toBe(false);
      expect(nameFromDescription(description)).toBe(name);
    }
  });

  it("round-trips every kind of name, and encoded descriptions are printable ASCII within 1024", () => {
    const names = [
      "日本語/ファイル.txt",
      "tab\there",
      "\u{1F600}",
      "\x7f",
      "é".repeat(380),
      "\ufeffbom",
      "gcli1 IGxlYWQ",
    ];
    for (const name of names) {
      const description = descriptionForName(name);
      expect(description).toMatch(/^[\x21-\x7e][\x20-\x7e]*$/);
      expect(description.length).toBeLessThanOrEqual(1024);
      expect(nameFromDescription(description)).toBe(name);
    }
  });

  it("never reads a non-canonical or verbatim-able payload as encoded", () => {
    expect(nameFromDescription("gcli1 Y2Fmw6l")).toBe("gcli1 Y2Fmw6l");
    expect(nameFromDescription("gcli1 YWJj")).toBe("gcli1 YWJj");
  });

  it("refuses a name whose encoding is longer than 1024 characters", () => {
    expect(() => descriptionForName("é".repeat(400))).toThrow(ConsoleError);
    expect(() => descriptionForName("a".repeat(1025))).toThrow(/this name needs 1373$/);
    expect(() => descriptionForName("é".repeat(400))).toThrow(
      "archive name is too long: a Glacier description holds at most 1024 characters and this name needs 1073",
    );
  });

  it("refuses a name that is not valid Unicode", () => {
    expect(() => descriptionForName("bad\ud800")).toThrow("archive name is not valid Unicode text");
  });
});

describe("descriptions written by other tools", () => {
  it("decodes mt-aws-glacier mt2 descriptions to the file name and mtime", () => {
    expect(decodeDescription(MT2)).toEqual({ name: "dir/файл.txt", origin: "mt-aws-glacier", mtime: 1356429600000 });
  });

  it("decodes the double-encoded mt1 descriptions of mt-aws-glacier 0.80-0.84", () => {
    expect(decodeDescription(MT1)).toEqual({ name: "dir/файл.txt", origin: "mt-aws-glacier", mtime: 1356429600000 });
  });

  it("decodes FastGlacier v2 descriptions to the path and modification time", () => {
    expect(decodeDescription(FAST_GLACIER)).toEqual({
      name: "Фото/IMG 1.jpg",
      origin: "fastglacier",
      mtime: 1388631845000,
    });
  });

  it("leaves an mt2 description without a usable mtime as a plain name", () => {
    const noTime = `mt2 ${Buffer.from(JSON.stringify({ filename: "a", mtime: "yesterday" })).toString("base64url")}`;
    expect(decodeDescription(noTime)).toEqual({ name: noTime, origin: "plain" });
  });
});
