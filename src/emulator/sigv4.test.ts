// SigV4 verification against the developer guide's CreateVault example (docs/glacier-api.md#tree-hash:
// "signature 3ce5b2f2...7c2a", reproduced independently).
import { describe, expect, it } from "vitest";
import type { EmuRequest } from "./http.ts";
import { authenticate } from "./sigv4.ts";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const SIGNATURE = "3ce5b2f2fffac9262b4da9256f8d086b4aaf42eba5f111c21681a65a127b7c2a";
const SIGNED_AT = Date.UTC(2012, 4, 25, 0, 24, 53);

function request(signature = SIGNATURE, extra: Record<string, string> = {}): EmuRequest {
  return {
    method: "PUT",
    path: "/-/vaults/examplevault",
    rawQuery: "",
    headers: {
      host: "glacier.us-east-1.amazonaws.com",
      "x-amz-date": "20120525T002453Z",
      "x-amz-glacier-version": "2012-06-01",
      authorization:
        `AWS4-HMAC-SHA256 ` +
        `Credential=AKIDEXAMPLE/20120525/us-east-1/glacier/aws4_request,` +
        `SignedHeaders=host;x-amz-date;x-amz-glacier-version,Signature=` +
        signature,
      ...extra,
    },
    body: (async function* () {})(),
  };
}

const strict = {
  mode: "strict" as const,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET },
};
const emptyBody = () => Promise.resolve(Buffer.alloc(0));

describe("SigV4 verification", () => {
  it("accepts the developer guide's signed CreateVault request in strict mode", async () => {
    await expect(authenticate(request(), strict, SIGNED_AT, emptyBody)).resolves.toBeUndefined();
  });

  it("refuses the same request with one signature digit changed", async () => {
    await expect(
      authenticate(request(`${SIGNATURE.slice(0, -1)}b`), strict, SIGNED_AT, emptyBody),
    ).rejects.toMatchObject({ code: "InvalidSignatureException" });
  });

  it("refuses a request signed more than 15 minutes away from the wall clock", async () => {
    await expect(authenticate(request(), strict, SIGNED_AT + 16 * 60_000, emptyBody)).rejects.toMatchObject({
      code: "InvalidSignatureException",
      message: expect.stringContaining("Signature expired") as string,
    });
  });

  it("accepts boto 2's host-derived scope in any-key mode", async () => {
    const boto = request(SIGNATURE);
    boto.headers["authorization"] = boto.headers["authorization"]!.replace("us-east-1/glacier", "0/127");
    await expect(
      authenticate(boto, { mode: "any-key", region: "us-east-1" }, Date.now(), emptyBody),
    ).resolves.toBeUndefined();
  });

  it("refuses a scope date that differs from x-amz-date in any-key mode", async () => {
    await expect(
      authenticate(
        request(SIGNATURE, { "x-amz-date": "20120526T002453Z" }),
        { mode: "any-key", region: "us-east-1" },
        Date.now(),
        emptyBody,
      ),
    ).rejects.toMatchObject({ code: "InvalidSignatureException" });
  });
});
