import { describe, expect, it } from "vitest";
import { ConsoleError } from "./errors.ts";
import { parsePriceTable, pricesFor } from "./prices.ts";
import { GLACIER_PRICES_2026 } from "./prices/glacier-2026.ts";

describe("price table", () => {
  it("gives US East prices from the built-in table of 2026", () => {
    const p = pricesFor(GLACIER_PRICES_2026, "us-east-1");
    expect(p).toMatchObject({
      region: "us-east-1",
      pricedAs: "us-east-1",
      asOf: "2026-11-27",
      storagePerGbMonth: 0.004,
      uploadPer1000Requests: 0.05,
    });
    expect(p.retrieval.Expedited).toEqual({ perGb: 0.03, per1000Requests: 10 });
    expect(p.retrieval.Bulk).toEqual({ perGb: 0.0025, per1000Requests: 0.025 });
  });

  it("knows the dearer storage of Frankfurt, London, Tokyo and Sydney", () => {
    expect(pricesFor(GLACIER_PRICES_2026, "eu-central-1").storagePerGbMonth).toBe(0.0045);
    expect(pricesFor(GLACIER_PRICES_2026, "eu-west-2").storagePerGbMonth).toBe(0.0045);
    expect(pricesFor(GLACIER_PRICES_2026, "ap-northeast-1").storagePerGbMonth).toBe(0.005);
    expect(pricesFor(GLACIER_PRICES_2026, "ap-southeast-2").storagePerGbMonth).toBe(0.005);
  });

  it("prices a region missing from the table as the fallback region and says so", () => {
    expect(pricesFor(GLACIER_PRICES_2026, "sa-east-1")).toMatchObject({
      region: "sa-east-1",
      pricedAs: "us-east-1",
      storagePerGbMonth: 0.004,
    });
  });

  it("accepts the built-in table written out as a JSON price file", () => {
    const json = JSON.parse(JSON.stringify(GLACIER_PRICES_2026)) as unknown;
    expect(parsePriceTable(json, "prices.json")).toEqual(GLACIER_PRICES_2026);
  });

  it.each([
    [[], "prices.json: not a price table: the file must be an object"],
    [{ ...GLACIER_PRICES_2026, asOf: "last year" }, "prices.json: not a price table: asOf must be a date YYYY-MM-DD"],
    [{ ...GLACIER_PRICES_2026, currency: "EUR" }, `prices.json: not a price table: currency must be "USD"`],
    [
      { ...GLACIER_PRICES_2026, fallbackRegion: "mars-1" },
      "prices.json: not a price table: fallbackRegion mars-1 is not one of the regions",
    ],
    [
      {
        ...GLACIER_PRICES_2026,
        regions: { "us-east-1": { ...GLACIER_PRICES_2026.regions["us-east-1"], storagePerGbMonth: -1 } },
      },
      "prices.json: not a price table: regions.us-east-1.storagePerGbMonth must be a number >= 0",
    ],
    [
      {
        ...GLACIER_PRICES_2026,
        regions: {
          "us-east-1": {
            storagePerGbMonth: 1,
            uploadPer1000Requests: 1,
            retrieval: { Expedited: { perGb: 1, per1000Requests: 1 } },
          },
        },
      },
      "prices.json: not a price table: regions.us-east-1.retrieval.Standard must be an object",
    ],
  ])("refuses a malformed price file with one clear error (%#)", (value, message) => {
    expect(() => parsePriceTable(value, "prices.json")).toThrow(new ConsoleError(message));
  });
});
