import { describe, expect, it } from "vitest";
import { archiveIdFor, keyForName, parseArchiveId, parseS3Address, s3AddressProblem } from "./s3-address.ts";

describe("S3 addresses, keys and archive ids", () => {
  it("reads a bucket and a prefix that always ends in a slash", () => {
    expect(parseS3Address("s3://backups")).toEqual({ bucket: "backups", prefix: "" });
    expect(parseS3Address("s3://backups/")).toEqual({ bucket: "backups", prefix: "" });
    expect(parseS3Address("s3://backups/mac/tm")).toEqual({ bucket: "backups", prefix: "mac/tm/" });
    expect(parseS3Address("s3://backups/mac/tm/")).toEqual({ bucket: "backups", prefix: "mac/tm/" });
  });

  it("refuses bucket names S3 refuses", () => {
    for (const bad of ["s3://", "s3://ab", "s3://Upper", "s3://a_b", "s3://-ab", "s3://a..b"])
      expect(s3AddressProblem(bad)).toMatch(/^invalid S3 address/);
    expect(s3AddressProblem("s3://my.bucket-1/any/prefix")).toBeUndefined();
  });

  it("keys a name under the prefix and refuses keys over 1024 UTF-8 bytes", () => {
    const address = parseS3Address("s3://bkt/p");
    expect(keyForName(address, "dir/ünï")).toBe("p/dir/ünï");
    expect(keyForName(address, "é".repeat(510))).toHaveLength(512);
    expect(() => keyForName(address, "é".repeat(512))).toThrow(
      "an S3 key holds at most 1024 bytes, this one needs 1026",
    );
  });

  it("gives every stored version its own id and reads the name and version back", () => {
    for (const ref of [
      { name: "a.txt" },
      { name: "a.txt", versionId: "3/L4kqtJl+xyz=" },
      { name: "odd?versionId=x" },
      { name: "odd?versionId=x", versionId: "v1" },
      { name: "a.txt", treeHash: "ab".repeat(32) },
      { name: "odd?treeHash=y", treeHash: "cd".repeat(32) },
      { name: "odd?treeHash=y" },
    ])
      expect(parseArchiveId(archiveIdFor(ref))).toEqual(ref);
    expect(archiveIdFor({ name: "a.txt" })).toBe("a.txt");
    expect(archiveIdFor({ name: "a.txt", versionId: "null" })).toBe("a.txt");
    // The version wins over the content when the bucket keeps versions.
    expect(archiveIdFor({ name: "a.txt", versionId: "v9", treeHash: "ab".repeat(32) })).toBe("a.txt?versionId=v9");
  });
});
