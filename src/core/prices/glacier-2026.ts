// The built-in Glacier vault price table. Numbers from docs/glacier-api.md#prices ("Verify before shipping"):
// - storage $0.004/GB-month in US East since 2016-12-01; "$0.0045 Frankfurt/London, $0.005
//   Tokyo/Sydney" (arqbackup.com, undated ~2023);
// - uploads: "Treat as $0.05/1,000 until verified" (each UploadArchive / Initiate / part / Complete);
// - retrieval (2016 model): Expedited $0.03/GB + $10 per 1,000; Standard $0.01/GB + $0.05 per
//   1,000; Bulk $0.0025/GB + $0.025 per 1,000 (Bulk unverified).
// Upload and retrieval prices outside US East are unknown and assumed equal to US East.
// Regions not listed are estimated with US East prices (fallbackRegion), and the estimate says so.
import type { PriceTable, RegionPrices } from "../prices.ts";

const retrieval: RegionPrices["retrieval"] = {
  Expedited: { perGb: 0.03, per1000Requests: 10 },
  Standard: { perGb: 0.01, per1000Requests: 0.05 },
  Bulk: { perGb: 0.0025, per1000Requests: 0.025 },
};

const region = (storagePerGbMonth: number): RegionPrices => ({
  storagePerGbMonth,
  uploadPer1000Requests: 0.05,
  retrieval,
});

export const GLACIER_PRICES_2026: PriceTable = {
  asOf: "2026-11-27",
  currency: "USD",
  source: "built-in table from AWS-published and dated secondary sources; not a quote",
  fallbackRegion: "us-east-1",
  regions: {
    "us-east-1": region(0.004),
    "eu-central-1": region(0.0045),
    "eu-west-2": region(0.0045),
    "ap-northeast-1": region(0.005),
    "ap-southeast-2": region(0.005),
  },
};
