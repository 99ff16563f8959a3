import { describe, expect, it } from "vitest";
import { earlyDeletionFee, monthlyStorageCost, retrievalCost, uploadRequestCost, uploadRequestCount } from "./cost.ts";
import { DAY_MS, GB, pricesFor } from "./prices.ts";
import { GLACIER_PRICES_2026 } from "./prices/glacier-2026.ts";
import { MiB } from "./tree-hash.ts";

const prices = pricesFor(GLACIER_PRICES_2026, "us-east-1");
const now = Date.UTC(2026, 5, 1);

describe("upload request count", () => {
  it("counts one UploadArchive for a file that fits in one part, an empty one included", () => {
    expect(uploadRequestCount(8 * MiB)).toBe(1);
    expect(uploadRequestCount(0)).toBe(1);
  });

  it("counts initiate, every part and complete for a multipart upload", () => {
    expect(uploadRequestCount(8 * MiB + 1)).toBe(4);
    expect(uploadRequestCount(64 * MiB, 8 * MiB)).toBe(10);
  });

  it("counts thousands of requests for 32 GB in glacier-cli's 4 MiB parts (a complaint of glacier-cli's users)", () => {
    expect(uploadRequestCount(32 * 1000 ** 3, 4 * MiB)).toBe(7632);
    expect(uploadRequestCount(32 * GB, 4 * MiB)).toBe(8194);
  });
});

describe("cost arithmetic", () => {
  it("charges $0.05 per 1,000 upload requests", () => {
    expect(uploadRequestCost(2000, prices)).toBeCloseTo(0.1, 12);
  });

  it("charges a month of storage for the bytes plus 32 KB per archive", () => {
    expect(monthlyStorageCost(GB, 0, prices)).toBeCloseTo(0.004, 12);
    expect(monthlyStorageCost(0, 32768, prices)).toBeCloseTo(0.004, 12);
  });

  it("charges three months of storage for an archive deleted right after upload", () => {
    expect(earlyDeletionFee(GB, now, now, prices)).toBeCloseTo(0.012, 12);
  });

  it("charges the remaining days pro rata", () => {
    expect(earlyDeletionFee(GB, now - 30 * DAY_MS, now, prices)).toBeCloseTo(0.008, 12);
    expect(earlyDeletionFee(2 * GB, now - 75 * DAY_MS, now, prices)).toBeCloseTo(0.004, 12);
  });

  it("charges nothing from day 90 on", () => {
    expect(earlyDeletionFee(GB, now - 90 * DAY_MS, now, prices)).toBe(0);
    expect(earlyDeletionFee(GB, now - 400 * DAY_MS, now, prices)).toBe(0);
  });
});

describe("retrieval cost", () => {
  it("charges per GB and per 1,000 jobs at each tier", () => {
    expect(retrievalCost(10 * GB, 1000, "Standard", prices)).toBeCloseTo(0.1 + 0.05, 12);
    expect(retrievalCost(10 * GB, 1000, "Expedited", prices)).toBeCloseTo(0.3 + 10, 12);
    expect(retrievalCost(10 * GB, 1000, "Bulk", prices)).toBeCloseTo(0.025 + 0.025, 12);
  });
});
