import { describe, expect, it } from "vitest";
import { parseSettings } from "./glacier-config.ts";

describe("the remote's settings", () => {
  it("default to Standard retrievals, automatic part size and checkpresent=trust", () => {
    expect(parseSettings({ vault: "photos" })).toEqual({
      vault: "photos",
      region: "",
      endpoint: "",
      tier: "Standard",
      partSize: undefined,
      policy: "trust",
      maxAgeHours: 80,
      filePrefix: "",
    });
  });

  it("accept tiers and policies in any case, sizes with units, and local:DIR endpoints", () => {
    expect(
      parseSettings({
        vault: "v",
        tier: "bulk",
        partsize: "64MiB",
        checkpresent: "MaxAge",
        maxage: "24",
        endpoint: "local:/srv/glacier",
      }),
    ).toMatchObject({
      tier: "Bulk",
      partSize: 64 * 1024 * 1024,
      policy: "maxage",
      maxAgeHours: 24,
      endpoint: "local:/srv/glacier",
    });
  });

  it("refuse what they cannot use, naming the setting", () => {
    expect(() => parseSettings({ vault: "v", tier: "instant" })).toThrow(
      "tier=instant: expected Expedited, Standard or Bulk",
    );
    expect(() => parseSettings({ vault: "v", partsize: "3MiB" })).toThrow(
      /^partsize: partsize must be 1 MiB times a power of two/,
    );
    expect(() => parseSettings({ vault: "v", checkpresent: "always" })).toThrow(
      "checkpresent=always: expected trust, maxage or paranoid",
    );
    expect(() => parseSettings({ vault: "v", maxage: "soon" })).toThrow("maxage=soon: expected a number of hours");
    expect(() => parseSettings({ vault: "v", endpoint: "ftp://x" })).toThrow(
      "endpoint=ftp://x: expected http(s)://HOST[:PORT] or local:DIR",
    );
    expect(() => parseSettings({ vault: "a/b" })).toThrow(/^vault: invalid vault name 'a\/b'/);
  });

  it("make bucket= and prefix= the remote's s3:// address, with DEEP_ARCHIVE and one restore day by default", () => {
    expect(parseSettings({ bucket: "annex-bucket", prefix: "photos" })).toMatchObject({
      vault: "s3://annex-bucket/photos",
      bucket: "annex-bucket",
      prefix: "photos",
      storageClass: "DEEP_ARCHIVE",
      restoreDays: 1,
      tier: "Standard",
    });
    expect(parseSettings({ bucket: "annex-bucket", storageclass: "glacier_ir", restoredays: "7" })).toMatchObject({
      vault: "s3://annex-bucket",
      storageClass: "GLACIER_IR",
      restoreDays: 7,
    });
    expect(parseSettings({ vault: "photos" })).not.toHaveProperty("storageClass");
  });

  it("refuse vault= with bucket=, S3 settings without a bucket, and Expedited restores of DEEP_ARCHIVE", () => {
    expect(() => parseSettings({ vault: "v", bucket: "annex-bucket" })).toThrow(
      "vault=v and bucket=annex-bucket exclude each other: give vault= for a Glacier vault or bucket= for S3",
    );
    expect(() => parseSettings({ vault: "v", storageclass: "GLACIER" })).toThrow(
      "storageclass= applies to S3 buckets: give bucket=NAME as well",
    );
    expect(() => parseSettings({ bucket: "annex-bucket", tier: "expedited" })).toThrow(
      "tier=Expedited: DEEP_ARCHIVE objects are restored by the Standard or Bulk tier",
    );
    expect(parseSettings({ bucket: "annex-bucket", tier: "expedited", storageclass: "GLACIER" }).tier).toBe(
      "Expedited",
    );
    expect(() => parseSettings({ bucket: "annex-bucket", restoredays: "0" })).toThrow(
      "restoredays=0: expected a whole number of days from 1 to 365",
    );
    expect(() => parseSettings({ bucket: "A_B" })).toThrow(/^bucket: invalid S3 address "s3:\/\/A_B"/);
  });
});
