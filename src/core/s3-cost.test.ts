import { describe, expect, it } from "vitest";
import { DAY_MS, GB } from "./prices.ts";
import { S3_PRICES_2026 } from "./prices/s3-2026.ts";
import {
  s3BilledBytes,
  s3EarlyDeletionFee,
  s3OverheadWarning,
  s3RestoreCost,
  s3StorageCost,
  s3TransitionCost,
  s3UploadRequestCount,
  s3WriteRequestCost,
} from "./s3-cost.ts";
import { s3PricesFor } from "./s3-prices.ts";
import { MiB } from "./tree-hash.ts";

const prices = s3PricesFor(S3_PRICES_2026, "us-east-1");
const KiB = 1024;
const now = Date.UTC(2026, 11, 1);

describe("S3 storage cost", () => {
  it("charges a GB-month at each class's rate", () => {
    expect(s3StorageCost([GB], "STANDARD", prices).total).toBeCloseTo(0.023, 12);
    expect(s3StorageCost([GB], "GLACIER_IR", prices).total).toBeCloseTo(0.004, 12);
    expect(s3StorageCost([GB], "DEEP_ARCHIVE", prices).data).toBeCloseTo(0.00099, 12);
  });

  it("adds 8 KB at STANDARD rates and 32 KB at the class's rate per GLACIER and DEEP_ARCHIVE object", () => {
    const perObject = (8 * KiB * 0.023 + 32 * KiB * 0.00099) / GB;
    const cost = s3StorageCost([GB, 0, 0], "DEEP_ARCHIVE", prices);
    expect(cost.overhead).toBeCloseTo(3 * perObject, 15);
    expect(cost.total).toBeCloseTo(0.00099 + 3 * perObject, 15);
    expect(s3StorageCost([GB], "GLACIER", prices).overhead).toBeCloseTo((8 * KiB * 0.023 + 32 * KiB * 0.0036) / GB, 15);
    expect(s3StorageCost([GB], "STANDARD", prices).overhead).toBe(0);
  });

  it("bills a GLACIER_IR object smaller than 128 KB as 128 KB", () => {
    expect(s3BilledBytes(4 * KiB, "GLACIER_IR", prices)).toBe(128 * KiB);
    expect(s3BilledBytes(4 * KiB, "DEEP_ARCHIVE", prices)).toBe(4 * KiB);
    expect(s3StorageCost([4 * KiB, MiB], "GLACIER_IR", prices).data).toBeCloseTo(((128 * KiB + MiB) / GB) * 0.004, 15);
  });

  it("reproduces at 1/100 the example of 100 GB of 10 KB objects in DEEP_ARCHIVE: $2.26 a month, $0.099 data", () => {
    const sizes = new Array<number>(Math.floor(GB / (10 * KiB))).fill(10 * KiB);
    const cost = s3StorageCost(sizes, "DEEP_ARCHIVE", prices);
    expect(cost.data * 100).toBeCloseTo(0.099, 3);
    expect(cost.total * 100).toBeCloseTo(2.26, 2);
  });
});

describe("S3 requests", () => {
  it("counts one PutObject up to the threshold, else create, every part and complete", () => {
    expect(s3UploadRequestCount(8 * MiB, 8 * MiB)).toBe(1);
    expect(s3UploadRequestCount(0, 8 * MiB)).toBe(1);
    expect(s3UploadRequestCount(8 * MiB + 1, 8 * MiB)).toBe(4);
    expect(s3UploadRequestCount(64 * MiB, 8 * MiB, 16 * MiB)).toBe(10);
  });

  it("charges PUT requests and lifecycle transitions at the price of the class written", () => {
    expect(s3WriteRequestCost(1000, "DEEP_ARCHIVE", prices)).toBeCloseTo(0.05, 12);
    expect(s3WriteRequestCost(1000, "STANDARD", prices)).toBeCloseTo(0.005, 12);
    expect(s3TransitionCost(2000, "GLACIER", prices)).toBeCloseTo(0.06, 12);
  });
});

describe("S3 early deletion", () => {
  it("charges the rest of 180 days for a DEEP_ARCHIVE object deleted at once", () => {
    expect(s3EarlyDeletionFee(GB, now, now, "DEEP_ARCHIVE", prices)).toBeCloseTo(0.00099 * 6, 12);
  });

  it("charges the remaining days of 90 pro rata for GLACIER and GLACIER_IR", () => {
    expect(s3EarlyDeletionFee(GB, now - 30 * DAY_MS, now, "GLACIER", prices)).toBeCloseTo(0.0036 * 2, 12);
    expect(s3EarlyDeletionFee(4 * KiB, now, now, "GLACIER_IR", prices)).toBeCloseTo(((128 * KiB) / GB) * 0.004 * 3, 15);
  });

  it("charges nothing for STANDARD or once the minimum duration has passed", () => {
    expect(s3EarlyDeletionFee(GB, now, now, "STANDARD", prices)).toBe(0);
    expect(s3EarlyDeletionFee(GB, now - 180 * DAY_MS, now, "DEEP_ARCHIVE", prices)).toBe(0);
    expect(s3EarlyDeletionFee(GB, now - 90 * DAY_MS, now, "GLACIER", prices)).toBe(0);
  });
});

describe("S3 restores", () => {
  it("charges per GB and per 1,000 requests at the tier, the restored copy at STANDARD rates and the GETs", () => {
    const cost = s3RestoreCost(10 * GB, 1000, "DEEP_ARCHIVE", "Standard", 1, prices);
    expect(cost?.restore).toBeCloseTo(0.2 + 0.1, 12);
    expect(cost?.copy).toBeCloseTo((10 * 0.023) / 30, 12);
    expect(cost?.reads).toBeCloseTo(0.0004, 12);
    expect(cost?.total).toBeCloseTo(0.3 + 0.23 / 30 + 0.0004, 12);
  });

  it("makes GLACIER Bulk restores free but for the copy and the reads, and Expedited dear", () => {
    expect(s3RestoreCost(10 * GB, 1000, "GLACIER", "Bulk", 2, prices)?.restore).toBe(0);
    expect(s3RestoreCost(10 * GB, 1000, "GLACIER", "Expedited", 1, prices)?.restore).toBeCloseTo(0.3 + 10, 12);
  });

  it("has no Expedited tier for DEEP_ARCHIVE", () => {
    expect(s3RestoreCost(GB, 1, "DEEP_ARCHIVE", "Expedited", 1, prices)).toBeUndefined();
  });

  it("reads GLACIER_IR at once for its per-GB retrieval and STANDARD for the GETs only", () => {
    expect(s3RestoreCost(10 * GB, 1000, "GLACIER_IR", "Standard", 1, prices)).toEqual({
      restore: expect.closeTo(0.3, 12) as number,
      copy: 0,
      reads: expect.closeTo(0.01, 12) as number,
      total: expect.closeTo(0.31, 12) as number,
    });
    expect(s3RestoreCost(10 * GB, 1000, "STANDARD", "Bulk", 1, prices)?.total).toBeCloseTo(0.0004, 12);
  });
});

describe("small-object warning", () => {
  it("says what the per-object overhead costs against the data when objects average 4 KiB", () => {
    expect(s3OverheadWarning(1000 * 4 * KiB, 1000, "DEEP_ARCHIVE", prices)).toBe(
      "objects average 4.0 KiB in DEEP_ARCHIVE: the 40 KiB per-object overhead costs 54x the data's storage " +
        "(a TiB of such objects costs $56.23 a month instead of $1.01); " +
        "pack small files together, or store them in STANDARD",
    );
  });

  it("names GLACIER_IR's 128 KiB minimum billable size for small objects there", () => {
    expect(s3OverheadWarning(100 * 16 * KiB, 100, "GLACIER_IR", prices)).toMatch(
      /^objects average 16 KiB in GLACIER_IR: GLACIER_IR's 128 KiB minimum billable size costs 7\.0x the data's/,
    );
  });

  it("stays silent when the objects are large enough or the class has no overhead", () => {
    expect(s3OverheadWarning(1000 * 8 * MiB, 1000, "DEEP_ARCHIVE", prices)).toBeUndefined();
    expect(s3OverheadWarning(1000 * 4 * KiB, 1000, "STANDARD", prices)).toBeUndefined();
    expect(s3OverheadWarning(0, 0, "DEEP_ARCHIVE", prices)).toBeUndefined();
  });
});
