import { describe, expect, it } from "vitest";
import { annexKeySize, annexKeysAfterPrefix } from "./annex-key.ts";

const KEY = "SHA256E-s12--a948904f.txt";

describe("annexKeysAfterPrefix", () => {
  it.each(["pre_", "backups/", "x.", "pfx-", "Backup-", "repo2", "B"])(
    "finds the key after the prefix %j",
    (prefix) => {
      expect(annexKeysAfterPrefix(prefix + KEY)).toContain(KEY);
    },
  );

  it("finds a key with mtime fields and an encrypted key", () => {
    expect(annexKeysAfterPrefix("backups/WORM-s5-m1700000000--notes")).toContain("WORM-s5-m1700000000--notes");
    expect(annexKeysAfterPrefix("x-GPGHMACSHA1--0123abcd")).toContain("GPGHMACSHA1--0123abcd");
  });

  it("finds exactly the key after a prefix, and nothing inside a bare key that only looks like one", () => {
    expect(annexKeysAfterPrefix("repoS" + KEY)).toEqual([KEY]);
    expect(annexKeysAfterPrefix(KEY)).toEqual([]);
    expect(annexKeysAfterPrefix("pfx-SHA3_256E-s3--abc")).toEqual(["SHA3_256E-s3--abc"]);
  });

  it.each(["photo.jpg", "my-file--copy", "", "a", "XYZ-s5--name"])("finds nothing in %j", (name) => {
    expect(annexKeysAfterPrefix(name)).toEqual([]);
  });
});

describe("annexKeySize", () => {
  it.each([
    ["SHA256E-s0--e3b0c442.txt", 0],
    ["SHA256E-s12--a948904f.txt", 12],
    ["WORM-s5-m1700000000--notes", 5],
    ["SHA256E-s0-S1048576-C1--e3b0", 0],
    ["WORM-m1700000000-s7--x", 7],
  ])("reads the size of %s", (key, size) => {
    expect(annexKeySize(key)).toBe(size);
  });

  it.each(["GPGHMACSHA1--0123abcd", "WORM-m1700000000--notes", "URL--http://x-s0--y"])("finds no size in %s", (key) => {
    expect(annexKeySize(key)).toBeUndefined();
  });
});
