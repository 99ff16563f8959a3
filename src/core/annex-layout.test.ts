import { describe, expect, it } from "vitest";
import { cachedArchive } from "../../test/helpers/cached-archive.ts";
import { annexKeyOfName, chunkSetting, keyObjects } from "./annex-layout.ts";
import { planMigration } from "./migrate-plan.ts";
import { pricesFor } from "./prices.ts";
import { GLACIER_PRICES_2026 } from "./prices/glacier-2026.ts";
import { S3_PRICES_2026 } from "./prices/s3-2026.ts";
import { s3PricesFor } from "./s3-prices.ts";
import type { CachedArchive } from "./types.ts";

const KEY = "SHA256E-s14--4c2f07e1c1a4ab1e51b4c3a9ff23e5ab5bd52e1ac4ce0abd2cd2af7e14ac1c1d.txt";

describe("git-annex keys in archive names", () => {
  it("takes the key after the vault remote's fileprefix, and nothing that is not a whole key", () => {
    expect(annexKeyOfName(KEY, "")).toBe(KEY);
    expect(annexKeyOfName(`repo/${KEY}`, "repo/")).toBe(KEY);
    expect(annexKeyOfName(`repo/${KEY}`, "")).toBeUndefined();
    expect(annexKeyOfName(KEY, "repo/")).toBeUndefined();
    expect(annexKeyOfName("GPGHMACSHA1--8ab0c6f1e1c9d0a6c0a9a1b8c1d4e2f3a4b5c6d7", "")).toBe(
      "GPGHMACSHA1--8ab0c6f1e1c9d0a6c0a9a1b8c1d4e2f3a4b5c6d7",
    );
    expect(annexKeyOfName("SHA256E-s1-S1-C1--x", "")).toBe("SHA256E-s1-S1-C1--x");
    for (const name of ["tax/2019.pdf", "NOTAKEY-s1--x", "SHA256E-s14--a b", "SHA256E-s1--", null])
      expect(annexKeyOfName(name, "")).toBeUndefined();
  });

  it("names the chunk keys of a chunked key in order, the last one short", () => {
    expect(keyObjects("SHA256E-s10-m5--abc.bin", 4)).toEqual([
      { name: "SHA256E-s10-m5-S4-C1--abc.bin", size: 4 },
      { name: "SHA256E-s10-m5-S4-C2--abc.bin", size: 4 },
      { name: "SHA256E-s10-m5-S4-C3--abc.bin", size: 2 },
    ]);
    expect(keyObjects("SHA256E-s8--abc", 4)?.map((o) => o.size)).toEqual([4, 4]);
    expect(keyObjects("SHA256E-s8--abc", undefined)).toEqual([{ name: "SHA256E-s8--abc", size: 8 }]);
    expect(keyObjects("WORM-m1--abc", undefined)).toEqual([{ name: "WORM-m1--abc", size: undefined }]);
    expect(keyObjects("WORM-m1--abc", 4)).toBeUndefined();
  });

  it("reads chunk= as git-annex does: decimal and binary units", () => {
    expect(chunkSetting(undefined)).toBeUndefined();
    expect(chunkSetting("")).toBeUndefined();
    expect(chunkSetting("1MiB")).toBe(1024 * 1024);
    expect(chunkSetting("1MB")).toBe(1_000_000);
    expect(chunkSetting("256KiB")).toBe(262_144);
    expect(chunkSetting("500 kB")).toBe(500_000);
    expect(chunkSetting("4096")).toBe(4096);
    expect(chunkSetting("lots")).toBeNaN();
  });
});

describe("the migration plan in the git-annex layout", () => {
  const archive = (id: string, name: string | null, creationDate: number) => cachedArchive(id, name, { creationDate });
  const plan = (cached: CachedArchive[], filePrefix: string) =>
    planMigration({
      cached,
      now: Date.UTC(2026, 5, 1),
      vaultPrices: pricesFor(GLACIER_PRICES_2026, "us-east-1"),
      s3Prices: s3PricesFor(S3_PRICES_2026, "us-east-1"),
      options: { prefix: "p/", storageClass: "DEEP_ARCHIVE", tier: "Bulk", maxJobs: 10, annex: { filePrefix } },
    }).items.map((item) => [item.archive.id, item.key, item.placement]);

  it("puts each key at PREFIX + key, the newest copy of a key there and other archives under by-id", () => {
    const t = Date.UTC(2026, 0, 1);
    expect(
      plan(
        [
          archive("old", `repo/${KEY}`, t),
          archive("new", `repo/${KEY}`, t + 1000),
          archive("other", "tax/2019.pdf", t),
          archive("bare", KEY, t),
        ],
        "repo/",
      ),
    ).toEqual([
      ["new", `p/${KEY}`, "name"],
      ["bare", "p/by-id/bare", "by-id"],
      ["old", "p/by-id/old", "by-id"],
      ["other", "p/by-id/other", "by-id"],
    ]);
  });
});
