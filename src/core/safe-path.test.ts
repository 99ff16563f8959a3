import { posix, win32 } from "node:path";
import { describe, expect, it } from "vitest";
import { safeRelativePath } from "./safe-path.ts";

describe("safe restore paths", () => {
  it.each([
    ["bands/0", ["bands", "0"]],
    ["Info.plist", ["Info.plist"]],
    ["mac/tm.sparsebundle/bands/1a2f", ["mac", "tm.sparsebundle", "bands", "1a2f"]],
    ["..hidden/a..b/...", ["..hidden", "a..b", "..."]],
    ["console/connect.txt", ["console", "connect.txt"]],
    ["com10/lpt", ["com10", "lpt"]],
    ["ünïcode/日本", ["ünïcode", "日本"]],
    ["what?:*", ["what?:*"]],
    [`${"a".repeat(255)}/b`, ["a".repeat(255), "b"]],
  ])("keeps the name %j as a path under DIR", (name, segments) => {
    expect(safeRelativePath(name)).toEqual({ ok: true, segments, relativePath: segments.join("/") });
  });

  it.each([
    ["", "empty name"],
    ["a\0b", "contains a NUL character"],
    ["\0", "contains a NUL character"],
    ["a\ud800b", "not valid Unicode (lone surrogate)"],
    ["/etc/passwd", "absolute path"],
    ["//server/share", "absolute path"],
    ["\\\\server\\share", "contains a backslash"],
    ["a\\..\\..\\x", "contains a backslash"],
    ["C:\\Windows", "contains a backslash"],
    ["C:evil", "starts with a Windows drive letter"],
    ["c:/x", "starts with a Windows drive letter"],
    ["..", '".." path segment'],
    ["../x", '".." path segment'],
    ["a/../../x", '".." path segment'],
    ["a/..", '".." path segment'],
    [".", '"." path segment'],
    ["./a", '"." path segment'],
    ["a//b", 'empty path segment ("//" or a trailing "/")'],
    ["a/", 'empty path segment ("//" or a trailing "/")'],
    ["CON", 'Windows device name "CON"'],
    ["a/nul", 'Windows device name "nul"'],
    ["x/Aux.txt", 'Windows device name "Aux.txt"'],
    ["com1", 'Windows device name "com1"'],
    ["LPT9.tar.gz", 'Windows device name "LPT9.tar.gz"'],
    ["COM¹", 'Windows device name "COM¹"'],
    ["prn ", 'Windows device name "prn "'],
    ["CONIN$", 'Windows device name "CONIN$"'],
    [`x/${"a".repeat(256)}`, "path segment longer than 255 bytes"],
    ["é".repeat(128), "path segment longer than 255 bytes"],
    [`${"a/".repeat(2048)}a`, "longer than 4095 bytes"],
  ])("refuses %j: %s", (name, reason) => {
    expect(safeRelativePath(name)).toEqual({ ok: false, reason });
  });

  it("never accepts a name that resolves outside DIR on POSIX or Windows (10,000 random hostile names)", () => {
    const pieces = ["/", "\\", ".", "..", "a", "C:", ":", "\0", "con", " ", "~", "%2e", "b.", "\u2024"];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    let accepted = 0;
    for (let i = 0; i < 10_000; i++) {
      let name = "";
      const length = 1 + (next() % 8);
      for (let j = 0; j < length; j++) name += pieces[next() % pieces.length]!;
      const result = safeRelativePath(name);
      if (!result.ok) continue;
      accepted++;
      expect(posix.resolve("/restore", result.relativePath).startsWith("/restore/")).toBe(true);
      expect(win32.resolve("D:\\restore", result.relativePath).startsWith("D:\\restore\\")).toBe(true);
      expect(posix.join("/restore", ...result.segments)).toBe(`/restore/${result.relativePath}`);
    }
    expect(accepted).toBeGreaterThan(500);
  });
});
