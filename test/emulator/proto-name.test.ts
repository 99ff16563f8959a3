// "__proto__" is a valid vault name (1-255 of a-z A-Z 0-9 _ - .): it must be a vault like any other,
// and still be there after a restart (the state is read back from DIR).
import {
  CreateVaultCommand,
  DescribeVaultCommand,
  GlacierClient,
  ListVaultsCommand,
  UploadArchiveCommand,
} from "@aws-sdk/client-glacier";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.ts";
import { TEST_CREDENTIALS, testEmulator } from "./helpers.ts";

const acct = { accountId: "-", vaultName: "__proto__" };

describe("a vault named __proto__", () => {
  it("is created, holds archives and is still listed after the emulator restarts on the same DIR", async () => {
    const t = await testEmulator();
    await t.client.send(new CreateVaultCommand(acct));
    await t.client.send(new CreateVaultCommand({ ...acct, vaultName: "other" }));
    const { archiveId } = await t.client.send(new UploadArchiveCommand({ ...acct, body: Buffer.from("proto bytes") }));
    expect(archiveId).toMatch(/^[A-Za-z0-9_-]{138}$/);
    const names = async (client: GlacierClient) =>
      ((await client.send(new ListVaultsCommand({ accountId: "-" }))).VaultList ?? []).map((v) => v.VaultName);
    expect(await names(t.client)).toEqual(["__proto__", "other"]);
    await t.emulator.close();

    const again = await startEmulator({ dataDir: t.dataDir, port: 0 });
    const client = new GlacierClient({
      region: "us-east-1",
      endpoint: again.url,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      expect(await names(client)).toEqual(["__proto__", "other"]);
      expect((await client.send(new DescribeVaultCommand(acct))).VaultName).toBe("__proto__");
    } finally {
      client.destroy();
      await again.close();
    }
  });
});
