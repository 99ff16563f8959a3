import { describe, expect, it } from "vitest";
import { normalizePrefix, stripPrefix, withPrefix } from "./archive-prefix.ts";
import { UsageError } from "./errors.ts";

describe("archive prefix", () => {
  it("treats the prefix as a folder, with or without its trailing slash", () => {
    expect(normalizePrefix("mac/tm")).toBe("mac/tm/");
    expect(normalizePrefix("mac/tm/")).toBe("mac/tm/");
    expect(normalizePrefix(undefined)).toBe("");
    expect(normalizePrefix("")).toBe("");
  });

  it.each(["/abs", "a//b", "../up", "a/./b", "a/..", "//", "a\0b"])("refuses the prefix %j", (prefix) => {
    expect(() => normalizePrefix(prefix)).toThrow(
      new UsageError(`--prefix must be a relative folder path such as backups/mac (got ${JSON.stringify(prefix)})`),
    );
  });

  it("puts names below the prefix folder and takes them back out", () => {
    expect(withPrefix("mac/", "bands/0")).toBe("mac/bands/0");
    expect(withPrefix("", "bands/0")).toBe("bands/0");
    expect(stripPrefix("mac/", "mac/bands/0")).toBe("bands/0");
  });

  it("does not count a sibling folder with a longer name, or the folder itself, as under the prefix", () => {
    expect(stripPrefix("mac/", "macbook/x")).toBeUndefined();
    expect(stripPrefix("mac/", "mac/")).toBeUndefined();
    expect(stripPrefix("", "anything")).toBe("anything");
  });
});
