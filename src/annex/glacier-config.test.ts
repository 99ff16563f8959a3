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
});
