import { describe, expect, it } from "vitest";
import { UsageError } from "./errors.ts";
import { inShard, parseShard, shardOf } from "./shard.ts";

describe("--shard I/N", () => {
  it("parses 1-based shards and refuses anything else with a usage error", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    for (const bad of ["0/4", "5/4", "1", "a/b", "1/0", "-1/2", "1/2/3"])
      expect(() => parseShard(bad)).toThrow(UsageError);
  });

  it("puts every archive in exactly one shard, the same one on every run", () => {
    const ids = Array.from({ length: 2000 }, (_, n) => `archive-${n}`);
    const sizes = [0, 0, 0, 0];
    for (const id of ids) {
      const owners = [1, 2, 3, 4].filter((index) => inShard(id, { index, count: 4 }));
      expect(owners).toEqual([shardOf(id, 4)]);
      sizes[shardOf(id, 4) - 1]!++;
    }
    // Hash-spread: each quarter holds about a quarter.
    for (const size of sizes) expect(size).toBeGreaterThan(400);
    expect(shardOf("archive-7", 4)).toBe(shardOf("archive-7", 4));
  });

  it("takes everything without a shard or with 1/1", () => {
    expect(inShard("x", undefined)).toBe(true);
    expect(inShard("x", { index: 1, count: 1 })).toBe(true);
  });
});
