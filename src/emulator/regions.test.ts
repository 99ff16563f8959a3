import { describe, expect, it } from "vitest";
import type { EmuRequest } from "./http.ts";
import { isAwsRegion } from "./aws-region.ts";
import { requestRegion, rootedAt } from "./regions.ts";
import { emptyState } from "./state.ts";

const signed = (region: string): EmuRequest => ({
  method: "GET",
  path: "/-/vaults",
  rawQuery: "",
  body: (async function* () {})(),
  headers: {
    authorization:
      `AWS4-HMAC-SHA256 Credential=AKID/20260101/${region}/glacier/aws4_request, SignedHeaders=host, Signature=` +
      "0".repeat(64),
  },
});

describe("emulator regions", () => {
  it("takes AWS region names for regions and made-up or boto 2 host-derived ones not", () => {
    for (const r of [
      "us-east-1",
      "eu-west-3",
      "ap-southeast-7",
      "us-gov-west-1",
      "cn-northwest-1",
      "mx-central-1",
      "il-central-1",
    ])
      expect(isAwsRegion(r)).toBe(true);
    for (const r of ["0", "127", "xx-nowhere-9", "us-east", "US-EAST-1", "us-east-1a", "local"])
      expect(isAwsRegion(r)).toBe(false);
  });

  it("serves a request in its scope's region, else in the configured one (always with auth off)", () => {
    expect(requestRegion(signed("eu-west-1"), "any-key", "us-east-1")).toBe("eu-west-1");
    expect(requestRegion(signed("eu-west-1"), "strict", "us-east-1")).toBe("eu-west-1");
    expect(requestRegion(signed("0"), "any-key", "us-east-1")).toBe("us-east-1");
    expect(requestRegion(signed("eu-west-1"), "off", "us-east-1")).toBe("us-east-1");
    expect(requestRegion({ ...signed("x"), headers: {} }, "any-key", "sa-east-1")).toBe("sa-east-1");
  });

  it("dumps the state rooted at any region, the others under regions", () => {
    const state = {
      ...emptyState("us-east-1"),
      regions: { "eu-west-1": { ...emptyState(), retrievals: [{ at: 1, bytes: 2 }] } },
    };
    const eu = rootedAt(state, "eu-west-1", "us-east-1");
    expect(eu).toMatchObject({
      region: "eu-west-1",
      retrievals: [{ at: 1, bytes: 2 }],
      regions: { "us-east-1": { retrievals: [] } },
    });
    expect(Object.keys(eu.regions!)).toEqual(["us-east-1"]);
    expect(eu.regions!["us-east-1"]).not.toHaveProperty("regions");
    expect(rootedAt(state, "ap-south-1", "us-east-1")).toMatchObject({
      region: "ap-south-1",
      vaults: {},
      regions: { "us-east-1": {}, "eu-west-1": {} },
    });
  });
});
