import { describe, expect, it } from "vitest";
import { UsageError } from "./errors.ts";
import { excludeMatcher } from "./exclude.ts";

describe("--exclude patterns", () => {
  it("matches a pattern without a slash against names at any depth", () => {
    const excluded = excludeMatcher(["*.tmp", ".DS_Store"]);
    expect(excluded("a.tmp", false)).toBe(true);
    expect(excluded("x/y/a.tmp", false)).toBe(true);
    expect(excluded("x/.DS_Store", false)).toBe(true);
    expect(excluded("a.tmp.keep", false)).toBe(false);
  });

  it("anchors a pattern with a slash at DIR", () => {
    const excluded = excludeMatcher(["bands/0*", "/token"]);
    expect(excluded("bands/0a", false)).toBe(true);
    expect(excluded("old/bands/0a", false)).toBe(false);
    expect(excluded("token", false)).toBe(true);
    expect(excluded("x/token", false)).toBe(false);
  });

  it("matches folders only when the pattern ends in a slash", () => {
    const excluded = excludeMatcher(["cache/"]);
    expect(excluded("cache", true)).toBe(true);
    expect(excluded("a/cache", true)).toBe(true);
    expect(excluded("cache", false)).toBe(false);
  });

  it("understands **, braces and character classes", () => {
    const excluded = excludeMatcher(["logs/**/*.{log,gz}", "bands/[0-3]"]);
    expect(excluded("logs/2026/11/a.gz", false)).toBe(true);
    expect(excluded("logs/a.log", false)).toBe(true);
    expect(excluded("logs/a.txt", false)).toBe(false);
    expect(excluded("bands/2", false)).toBe(true);
    expect(excluded("bands/4", false)).toBe(false);
  });

  it("excludes nothing without patterns", () => {
    expect(excludeMatcher([])("anything", false)).toBe(false);
  });

  it("refuses a pattern that is only slashes", () => {
    expect(() => excludeMatcher(["/"])).toThrow(
      new UsageError(`--exclude "/" matches nothing: give a file or folder pattern`),
    );
  });
});
