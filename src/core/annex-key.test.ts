import { describe, expect, it } from "vitest";
import { annexKeyAfterPrefix } from "./annex-key.ts";

describe("annexKeyAfterPrefix", () => {
  it.each([
    ["pre_SHA256E-s12--a948904f.txt", "SHA256E-s12--a948904f.txt"],
    ["backups/WORM-s5-m1700000000--notes", "WORM-s5-m1700000000--notes"],
    ["x.GPGHMACSHA1--0123abcd", "GPGHMACSHA1--0123abcd"],
  ])("finds the key in %s", (name, key) => {
    expect(annexKeyAfterPrefix(name)).toBe(key);
  });

  it.each(["SHA256E-s12--a948904f.txt", "photo.jpg", "GPGHMACSHA1--0123", "my-file--copy", ""])("finds nothing in %j", (name) => {
    expect(annexKeyAfterPrefix(name)).toBeUndefined();
  });
});
