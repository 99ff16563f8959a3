import { describe, expect, it } from "vitest";
import { ConsoleError } from "./errors.ts";
import { S3_PRICES_2026 } from "./prices/s3-2026.ts";
import { isS3StorageClass, parseS3PriceTable, s3PricesFor } from "./s3-prices.ts";

const usEast = S3_PRICES_2026.regions["us-east-1"];
if (!usEast) throw new Error("the built-in S3 table lists us-east-1");

describe("S3 price table", () => {
  it("gives US East storage per GB-month for each class", () => {
    const p = s3PricesFor(S3_PRICES_2026, "us-east-1");
    expect(p).toMatchObject({ region: "us-east-1", pricedAs: "us-east-1", asOf: "2026-12-02", currency: "USD" });
    expect(p.classes.STANDARD.storagePerGbMonth).toBe(0.023);
    expect(p.classes.GLACIER_IR.storagePerGbMonth).toBe(0.004);
    expect(p.classes.GLACIER.storagePerGbMonth).toBe(0.0036);
    expect(p.classes.DEEP_ARCHIVE.storagePerGbMonth).toBe(0.00099);
  });

  it("knows the request, transition and restore prices per class and tier", () => {
    const c = s3PricesFor(S3_PRICES_2026, "us-east-1").classes;
    expect([c.STANDARD, c.GLACIER_IR, c.GLACIER, c.DEEP_ARCHIVE].map((k) => k.writePer1000Requests)).toEqual([
      0.005, 0.02, 0.03, 0.05,
    ]);
    expect(c.GLACIER_IR).toMatchObject({
      readPer1000Requests: 0.01,
      retrievalPerGb: 0.03,
      transitionPer1000Requests: 0.02,
    });
    expect(c.GLACIER.restore).toEqual({
      Expedited: { perGb: 0.03, per1000Requests: 10 },
      Standard: { perGb: 0.01, per1000Requests: 0.05 },
      Bulk: { perGb: 0, per1000Requests: 0 },
    });
    expect(c.DEEP_ARCHIVE.restore.Expedited).toBeUndefined();
    expect(c.DEEP_ARCHIVE.restore.Standard).toEqual({ perGb: 0.02, per1000Requests: 0.1 });
  });

  it("carries minimum durations, the 128 KB minimum of GLACIER_IR and the 8 KB + 32 KB per-object overhead", () => {
    const c = s3PricesFor(S3_PRICES_2026, "us-east-1").classes;
    expect([c.STANDARD, c.GLACIER_IR, c.GLACIER, c.DEEP_ARCHIVE].map((k) => k.minimumStorageDays)).toEqual([
      0, 90, 90, 180,
    ]);
    expect(c.GLACIER_IR.minimumBillableBytes).toBe(128 * 1024);
    expect(c.GLACIER.overhead).toEqual({ standardBytes: 8192, classBytes: 32768 });
    expect(c.DEEP_ARCHIVE.overhead).toEqual({ standardBytes: 8192, classBytes: 32768 });
    expect(c.STANDARD.overhead).toEqual({ standardBytes: 0, classBytes: 0 });
  });

  it("prices a region missing from the table as US East and says so", () => {
    expect(s3PricesFor(S3_PRICES_2026, "eu-central-1")).toMatchObject({
      region: "eu-central-1",
      pricedAs: "us-east-1",
    });
  });

  it("recognises the storage class names the backend writes", () => {
    expect(isS3StorageClass("DEEP_ARCHIVE")).toBe(true);
    expect(isS3StorageClass("GLACIER_VAULT")).toBe(false);
  });

  it("accepts the built-in table written out as a JSON price file", () => {
    const json: unknown = JSON.parse(JSON.stringify(S3_PRICES_2026));
    expect(parseS3PriceTable(json, "s3.json")).toEqual(S3_PRICES_2026);
  });

  const withClass = (name: string, patch: Record<string, unknown>): unknown => ({
    ...S3_PRICES_2026,
    regions: { "us-east-1": { classes: { ...usEast.classes, [name]: { ...usEast.classes.GLACIER, ...patch } } } },
  });

  it.each([
    [[], "the file must be an object"],
    [{ ...S3_PRICES_2026, asOf: "soon" }, "asOf must be a date YYYY-MM-DD"],
    [{ ...S3_PRICES_2026, currency: "EUR" }, `currency must be "USD"`],
    [{ ...S3_PRICES_2026, fallbackRegion: "mars-1" }, "fallbackRegion mars-1 is not one of the regions"],
    [
      { ...S3_PRICES_2026, regions: { "us-east-1": { classes: { STANDARD: usEast.classes.STANDARD } } } },
      "regions.us-east-1.classes.GLACIER_IR must be an object",
    ],
    [
      withClass("GLACIER", { storagePerGbMonth: -1 }),
      "regions.us-east-1.classes.GLACIER.storagePerGbMonth must be a number >= 0",
    ],
    [
      withClass("DEEP_ARCHIVE", { minimumStorageDays: 1.5 }),
      "regions.us-east-1.classes.DEEP_ARCHIVE.minimumStorageDays must be a whole number >= 0",
    ],
    [
      withClass("GLACIER", { restore: { Fast: { perGb: 1, per1000Requests: 1 } } }),
      "regions.us-east-1.classes.GLACIER.restore.Fast is not a tier (Expedited, Standard, Bulk)",
    ],
    [
      withClass("GLACIER", { overhead: { standardBytes: 8192 } }),
      "regions.us-east-1.classes.GLACIER.overhead.classBytes must be a whole number >= 0",
    ],
  ])("refuses a malformed S3 price file with one clear error (%#)", (value, what) => {
    expect(() => parseS3PriceTable(value, "s3.json")).toThrow(
      new ConsoleError(`s3.json: not an S3 price table: ${what}`),
    );
  });
});
