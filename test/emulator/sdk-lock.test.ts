// Vault Lock and provisioned capacity through the SDK.
import {
  AbortVaultLockCommand,
  CompleteVaultLockCommand,
  CreateVaultCommand,
  GetVaultLockCommand,
  InitiateJobCommand,
  InitiateVaultLockCommand,
  ListProvisionedCapacityCommand,
  PurchaseProvisionedCapacityCommand,
  UploadArchiveCommand,
} from "@aws-sdk/client-glacier";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.ts";
import { testEmulator } from "./helpers.ts";

const acct = { accountId: "-", vaultName: "v" };
const Policy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Deny", Principal: "*", Action: "glacier:DeleteArchive", Resource: "*" }],
});

describe("vault lock and provisioned capacity through the SDK", () => {
  it("runs a lock from InProgress to Locked, after which it can be neither aborted nor restarted", async () => {
    const { client } = await testEmulator();
    await client.send(new CreateVaultCommand(acct));
    const { lockId } = await client.send(new InitiateVaultLockCommand({ ...acct, policy: { Policy } }));
    expect(lockId).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(await client.send(new GetVaultLockCommand(acct))).toMatchObject({ State: "InProgress", Policy });
    const twice = await client
      .send(new InitiateVaultLockCommand({ ...acct, policy: { Policy } }))
      .catch((e: unknown) => e);
    expect(twice).toMatchObject({ name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } });
    await client.send(new CompleteVaultLockCommand({ ...acct, lockId }));
    expect(await client.send(new GetVaultLockCommand(acct))).toMatchObject({ State: "Locked" });
    const abort = await client.send(new AbortVaultLockCommand(acct)).catch((e: unknown) => e);
    expect(abort).toMatchObject({ name: "AccessDeniedException" });
  });

  it("forgets an InProgress lock after 24 hours", async () => {
    const { client, emulator } = await testEmulator({ clock: new ManualClock() });
    await client.send(new CreateVaultCommand(acct));
    await client.send(new InitiateVaultLockCommand({ ...acct, policy: { Policy } }));
    await emulator.control.advanceClock(86_400);
    const gone = await client.send(new GetVaultLockCommand(acct)).catch((e: unknown) => e);
    expect(gone).toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("sells two capacity units for a month each and refuses a third", async () => {
    const { client } = await testEmulator({ clock: new ManualClock(Date.UTC(2026, 0, 31, 12)) });
    const { capacityId } = await client.send(new PurchaseProvisionedCapacityCommand({ accountId: "-" }));
    await client.send(new PurchaseProvisionedCapacityCommand({ accountId: "-" }));
    const third = await client
      .send(new PurchaseProvisionedCapacityCommand({ accountId: "-" }))
      .catch((e: unknown) => e);
    expect(third).toMatchObject({ name: "LimitExceededException" });
    const list = await client.send(new ListProvisionedCapacityCommand({ accountId: "-" }));
    expect(list.ProvisionedCapacityList?.[0]).toMatchObject({
      CapacityId: capacityId,
      StartDate: "2026-01-31T12:00:00.000Z",
      ExpirationDate: "2026-02-28T12:00:00.000Z",
    });
  });

  it(
    "refuses Expedited retrievals without a capacity unit " + "when capacity is required, and serves them with one",
    async () => {
      const { client } = await testEmulator({ expeditedRequiresCapacity: true });
      await client.send(new CreateVaultCommand(acct));
      const { archiveId } = await client.send(new UploadArchiveCommand({ ...acct, body: Buffer.from("x") }));
      const expedited = {
        ...acct,
        jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId, Tier: "Expedited" },
      };
      const refused = await client.send(new InitiateJobCommand(expedited)).catch((e: unknown) => e);
      expect(refused).toMatchObject({ name: "InsufficientCapacityException", $metadata: { httpStatusCode: 503 } });
      await client.send(new PurchaseProvisionedCapacityCommand({ accountId: "-" }));
      expect((await client.send(new InitiateJobCommand(expedited))).jobId).toBeDefined();
    },
  );
});
