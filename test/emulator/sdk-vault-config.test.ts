// Tags, notifications, access policies and the data-retrieval policy through the SDK.
import {
  AddTagsToVaultCommand,
  CreateVaultCommand,
  DeleteVaultAccessPolicyCommand,
  DeleteVaultNotificationsCommand,
  GetDataRetrievalPolicyCommand,
  GetVaultAccessPolicyCommand,
  GetVaultNotificationsCommand,
  InitiateJobCommand,
  ListTagsForVaultCommand,
  RemoveTagsFromVaultCommand,
  SetDataRetrievalPolicyCommand,
  SetVaultAccessPolicyCommand,
  SetVaultNotificationsCommand,
  UploadArchiveCommand,
} from "@aws-sdk/client-glacier";
import { describe, expect, it } from "vitest";
import { MiB } from "../../src/core/tree-hash.ts";
import { bytes, testEmulator } from "./helpers.ts";

const acct = { accountId: "-", vaultName: "v" };

async function setup() {
  const t = await testEmulator();
  await t.client.send(new CreateVaultCommand(acct));
  return t;
}

describe("vault configuration through the SDK", () => {
  it("adds, overwrites, lists and removes tags, and refuses a 51st tag", async () => {
    const { client } = await setup();
    await client.send(new AddTagsToVaultCommand({ ...acct, Tags: { owner: "ann", tier: "cold" } }));
    await client.send(new AddTagsToVaultCommand({ ...acct, Tags: { owner: "bob" } }));
    await client.send(new RemoveTagsFromVaultCommand({ ...acct, TagKeys: ["tier"] }));
    expect((await client.send(new ListTagsForVaultCommand(acct))).Tags).toEqual({ owner: "bob" });
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "x"]));
    const error = await client.send(new AddTagsToVaultCommand({ ...acct, Tags: many })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "LimitExceededException" });
  });

  it("stores a notification configuration, answers 404 once it is deleted", async () => {
    const { client } = await setup();
    const config = { SNSTopic: "arn:aws:sns:us-east-1:123456789012:done", Events: ["ArchiveRetrievalCompleted"] };
    await client.send(new SetVaultNotificationsCommand({ ...acct, vaultNotificationConfig: config }));
    expect((await client.send(new GetVaultNotificationsCommand(acct))).vaultNotificationConfig).toEqual(config);
    await client.send(new DeleteVaultNotificationsCommand(acct));
    const error = await client.send(new GetVaultNotificationsCommand(acct)).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("stores an access policy document verbatim and forgets it on delete", async () => {
    const { client } = await setup();
    const Policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Principal: "*", Action: "glacier:DeleteArchive", Resource: "*" }],
    });
    await client.send(new SetVaultAccessPolicyCommand({ ...acct, policy: { Policy } }));
    expect((await client.send(new GetVaultAccessPolicyCommand(acct))).policy?.Policy).toBe(Policy);
    await client.send(new DeleteVaultAccessPolicyCommand(acct));
    const error = await client.send(new GetVaultAccessPolicyCommand(acct)).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("refuses retrievals beyond a BytesPerHour policy with PolicyEnforcedException", async () => {
    const { client } = await setup();
    await client.send(
      new SetDataRetrievalPolicyCommand({
        accountId: "-",
        Policy: { Rules: [{ Strategy: "BytesPerHour", BytesPerHour: 3 * MiB }] },
      }),
    );
    expect((await client.send(new GetDataRetrievalPolicyCommand({ accountId: "-" }))).Policy).toEqual({
      Rules: [{ Strategy: "BytesPerHour", BytesPerHour: 3 * MiB }],
    });
    const { archiveId } = await client.send(new UploadArchiveCommand({ ...acct, body: bytes(2 * MiB) }));
    await client.send(
      new InitiateJobCommand({ ...acct, jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId } }),
    );
    const error = await client
      .send(new InitiateJobCommand({ ...acct, jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId } }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "PolicyEnforcedException", $metadata: { httpStatusCode: 400 } });
  });

  it("refuses a retrieval policy with BytesPerHour under another strategy", async () => {
    const { client } = await setup();
    const error = await client
      .send(
        new SetDataRetrievalPolicyCommand({
          accountId: "-",
          Policy: { Rules: [{ Strategy: "FreeTier", BytesPerHour: 5 }] },
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidParameterValueException" });
  });
});

describe("recorded notifications and new-account mode", () => {
  it("records what SNS would receive for completed jobs, to the job's topic and the vault's", async () => {
    const { client, emulator } = await setup();
    await client.send(
      new SetVaultNotificationsCommand({
        ...acct,
        vaultNotificationConfig: { SNSTopic: "arn:vault-topic", Events: ["ArchiveRetrievalCompleted"] },
      }),
    );
    const { archiveId } = await client.send(new UploadArchiveCommand({ ...acct, body: bytes(10) }));
    const { jobId } = await client.send(
      new InitiateJobCommand({
        ...acct,
        jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId, SNSTopic: "arn:job-topic" },
      }),
    );
    const response = await fetch(`${emulator.url}/_emulator/notifications`);
    const { notifications } = (await response.json()) as {
      notifications: { topic: string; message: { JobId: string; StatusCode: string } }[];
    };
    expect(notifications.map((n) => [n.topic, n.message.JobId, n.message.StatusCode])).toEqual([
      ["arn:job-topic", jobId, "Succeeded"],
      ["arn:vault-topic", jobId, "Succeeded"],
    ]);
  });

  it("answers every call with NoLongerSupportedException in new-account mode", async () => {
    const { client } = await testEmulator({ newAccount: true });
    const error = await client.send(new CreateVaultCommand(acct)).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "NoLongerSupportedException",
      $metadata: { httpStatusCode: 400 },
      message:
        "This API is no longer supported for new accounts. Please use Amazon S3 Glacier storage classes instead.",
    });
  });
});
