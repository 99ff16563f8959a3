// The built-in price table of the S3 storage classes, US East (N. Virginia), from the public pricing
// page https://aws.amazon.com/s3/pricing/ (Storage, Requests & data retrievals tabs), cross-checked
// against dated 2026 write-ups that quote it:
// - storage per GB-month: STANDARD $0.023 (first 50 TB), GLACIER_IR $0.004, GLACIER (Flexible
//   Retrieval) $0.0036, DEEP_ARCHIVE $0.00099;
// - PUT, COPY, POST, LIST per 1,000: STANDARD $0.005, GLACIER_IR $0.02, GLACIER $0.03,
//   DEEP_ARCHIVE $0.05; lifecycle transitions into a class cost the same per 1,000;
// - GET and other requests per 1,000: $0.0004, GLACIER_IR $0.01; GLACIER_IR retrieval $0.03 per GB;
// - restores: GLACIER Expedited $0.03/GB + $10 per 1,000, Standard $0.01/GB + $0.05 per 1,000, Bulk
//   free; DEEP_ARCHIVE Standard $0.02/GB + $0.10 per 1,000, Bulk $0.0025/GB + $0.025 per 1,000 (no
//   Expedited tier: https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html);
// - per object, GLACIER and DEEP_ARCHIVE bill 8 KB of metadata at STANDARD rates and 32 KB of index at
//   the class's rate; GLACIER_IR bills an object smaller than 128 KB as 128 KB; minimum storage
//   durations GLACIER_IR 90, GLACIER 90, DEEP_ARCHIVE 180 days
//   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-class-intro.html).
// Other regions are dearer and their request and restore prices differ; none is listed until checked
// against the pricing page, so they are estimated with US East prices (fallbackRegion) and the
// estimate says so. A JSON file in this shape replaces the table.
import type { S3ClassPrices, S3PriceTable, S3StorageClass } from "../s3-prices.ts";

const KB = 1024;
const archiveOverhead = { standardBytes: 8 * KB, classBytes: 32 * KB };
const noOverhead = { standardBytes: 0, classBytes: 0 };

const usEast1: Record<S3StorageClass, S3ClassPrices> = {
  STANDARD: {
    storagePerGbMonth: 0.023,
    writePer1000Requests: 0.005,
    readPer1000Requests: 0.0004,
    transitionPer1000Requests: 0,
    retrievalPerGb: 0,
    restore: {},
    minimumStorageDays: 0,
    minimumBillableBytes: 0,
    overhead: noOverhead,
  },
  GLACIER_IR: {
    storagePerGbMonth: 0.004,
    writePer1000Requests: 0.02,
    readPer1000Requests: 0.01,
    transitionPer1000Requests: 0.02,
    retrievalPerGb: 0.03,
    restore: {},
    minimumStorageDays: 90,
    minimumBillableBytes: 128 * KB,
    overhead: noOverhead,
  },
  GLACIER: {
    storagePerGbMonth: 0.0036,
    writePer1000Requests: 0.03,
    readPer1000Requests: 0.0004,
    transitionPer1000Requests: 0.03,
    retrievalPerGb: 0,
    restore: {
      Expedited: { perGb: 0.03, per1000Requests: 10 },
      Standard: { perGb: 0.01, per1000Requests: 0.05 },
      Bulk: { perGb: 0, per1000Requests: 0 },
    },
    minimumStorageDays: 90,
    minimumBillableBytes: 0,
    overhead: archiveOverhead,
  },
  DEEP_ARCHIVE: {
    storagePerGbMonth: 0.00099,
    writePer1000Requests: 0.05,
    readPer1000Requests: 0.0004,
    transitionPer1000Requests: 0.05,
    retrievalPerGb: 0,
    restore: {
      Standard: { perGb: 0.02, per1000Requests: 0.1 },
      Bulk: { perGb: 0.0025, per1000Requests: 0.025 },
    },
    minimumStorageDays: 180,
    minimumBillableBytes: 0,
    overhead: archiveOverhead,
  },
};

export const S3_PRICES_2026: S3PriceTable = {
  asOf: "2026-12-02",
  currency: "USD",
  source: "built-in table from https://aws.amazon.com/s3/pricing/ (US East); not a quote",
  fallbackRegion: "us-east-1",
  regions: { "us-east-1": { classes: usEast1 } },
};
