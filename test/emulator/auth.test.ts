// SigV4 modes (docs/glacier-api.md#signing): any-key checks the header's structure, strict checks the signature.
import { CreateVaultCommand, GlacierClient, ListVaultsCommand } from "@aws-sdk/client-glacier";
import { describe, expect, it } from "vitest";
import { TEST_CREDENTIALS, testEmulator } from "./helpers.ts";

const versioned = { "x-amz-glacier-version": "2012-06-01" };

describe("emulator authentication", () => {
  it("in any-key mode accepts any key ID but refuses a request without Authorization", async () => {
    const { emulator } = await testEmulator();
    const other = new GlacierClient({
      region: "eu-west-1",
      endpoint: emulator.url,
      credentials: { accessKeyId: "ANYKEY", secretAccessKey: "whatever" },
      maxAttempts: 1,
    });
    await other.send(new CreateVaultCommand({ accountId: "-", vaultName: "v" }));
    other.destroy();
    const bare = await fetch(`${emulator.url}/-/vaults`, { headers: versioned });
    expect(bare.status).toBe(400);
    expect(await bare.json()).toEqual({
      code: "MissingAuthenticationTokenException",
      message: "Missing Authentication Token",
      type: "Client",
    });
  });

  it("in any-key mode refuses a malformed Authorization header with InvalidSignatureException", async () => {
    const { emulator } = await testEmulator();
    const response = await fetch(`${emulator.url}/-/vaults`, {
      headers: { ...versioned, authorization: "AWS AKID:signature" },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "InvalidSignatureException", type: "Client" });
  });

  it(
    "in strict mode accepts the configured key in any " + "AWS region and refuses a wrong secret, key or region",
    async () => {
      const { emulator, client } = await testEmulator({
        auth: "strict",
        credentials: TEST_CREDENTIALS,
        region: "us-east-1",
      });
      await client.send(new CreateVaultCommand({ accountId: "-", vaultName: "v" }));
      expect(
        (
          await client.send(
            new ListVaultsCommand({ accountId: "-", marker: "arn:aws:glacier:us-east-1:123456789012:vaults/a" }),
          )
        ).VaultList,
      ).toHaveLength(1);
      const attempt = async (region: string, credentials: { accessKeyId: string; secretAccessKey: string }) => {
        const c = new GlacierClient({ region, endpoint: emulator.url, credentials, maxAttempts: 1 });
        try {
          return await c.send(new ListVaultsCommand({ accountId: "-" })).catch((e: unknown) => e);
        } finally {
          c.destroy();
        }
      };
      expect(await attempt("us-east-1", { ...TEST_CREDENTIALS, secretAccessKey: "wrong" })).toMatchObject({
        name: "InvalidSignatureException",
        $metadata: { httpStatusCode: 403 },
      });
      expect(await attempt("us-east-1", { ...TEST_CREDENTIALS, accessKeyId: "AKIDOTHER" })).toMatchObject({
        name: "UnrecognizedClientException",
      });
      expect(await attempt("moon-base", TEST_CREDENTIALS)).toMatchObject({ name: "InvalidSignatureException" });
      // One URL serves every region: eu-west-1 is another region, whose vault list is its own.
      expect(await attempt("eu-west-1", TEST_CREDENTIALS)).toMatchObject({ VaultList: [] });
    },
  );

  it("in off mode serves unsigned requests", async () => {
    const { emulator } = await testEmulator({ auth: "off" });
    const response = await fetch(`${emulator.url}/-/vaults/open`, { method: "PUT", headers: versioned });
    expect(response.status).toBe(201);
  });

  it("requires x-amz-glacier-version and refuses a foreign account ID", async () => {
    const { emulator } = await testEmulator({ auth: "off" });
    const unversioned = await fetch(`${emulator.url}/-/vaults`);
    expect(await unversioned.json()).toMatchObject({ code: "MissingParameterValueException" });
    const foreign = await fetch(`${emulator.url}/999999999999/vaults`, { headers: versioned });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: "AccessDeniedException" });
    const own = await fetch(`${emulator.url}/123456789012/vaults`, { headers: versioned });
    expect(own.status).toBe(200);
  });

  it("in strict mode keeps accepting the SDK after the emulator clock moved days ahead", async () => {
    const { emulator, client } = await testEmulator({ auth: "strict", credentials: TEST_CREDENTIALS });
    await client.send(new CreateVaultCommand({ accountId: "-", vaultName: "v" }));
    await emulator.control.advanceClock(3 * 86_400);
    await client.send(new ListVaultsCommand({ accountId: "-" }));
    await client.send(new ListVaultsCommand({ accountId: "-" }));
    const response = await fetch(`${emulator.url}/_emulator/clock`);
    expect(Math.abs(Date.parse(response.headers.get("date")!) - Date.now())).toBeLessThan(60_000);
  });
});
