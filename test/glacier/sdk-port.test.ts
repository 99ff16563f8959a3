// The SDK adapter against the emulator over real HTTP: the conformance suite, then what is
// specific to this adapter (error mapping, the retry layer on top of it).
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { treeHash } from "../../src/core/tree-hash.ts";
import { ConsoleError, ServiceError } from "../../src/core/errors.ts";
import { NO_CREDENTIALS_MESSAGE } from "../../src/glacier/error-map.ts";
import { retryingPort } from "../../src/glacier/retry.ts";
import { createSdkPort } from "../../src/glacier/sdk.ts";
import { describePortConformance } from "./port-conformance.ts";
import { startHarness } from "./helpers.ts";

describePortConformance("the SDK adapter over the emulator", async () => {
  const harness = await startHarness();
  return {
    port: harness.port,
    finishJobs: async () => {
      await harness.emulator.control.advanceClock(1);
    },
    takeInventory: (vault) => harness.emulator.control.generateInventory(vault),
  };
});

describe("the SDK adapter's errors", () => {
  it("says the signature was rejected when the secret is wrong", async () => {
    const harness = await startHarness({
      auth: "strict",
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "the-real-secret" },
    });
    const error = await harness.port.listVaults().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).message).toBe(
      "Glacier rejected the request signature: check the secret access key and the computer's clock",
    );
  });

  it("says the access key is not recognised when the service does not know it", async () => {
    const harness = await startHarness({
      auth: "strict",
      credentials: { accessKeyId: "AKIDOTHER", secretAccessKey: "test-secret" },
    });
    const error = (await harness.port.listVaults().catch((e: unknown) => e)) as ServiceError;
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.message).toBe("Glacier does not recognise the access key ID: check the credentials");
  });

  it("reports a host name that does not resolve in one line", async () => {
    const harness = await startHarness();
    const port = createSdkPort({
      region: "us-east-1",
      endpointUrl: "http://glacier.invalid:9",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    });
    const error = (await port.listVaults().catch((e: unknown) => e)) as ServiceError;
    expect(error.message).toBe("cannot reach Glacier at http://glacier.invalid:9: host name not found");
    expect(harness.calls()).toEqual([]);
    await port.close();
  });

  it("explains NoLongerSupportedException as the vault service closing to new customers", async () => {
    const harness = await startHarness({ newAccount: true });
    const error = (await harness.port.createVault("v").catch((e: unknown) => e)) as ServiceError;
    expect(error.code).toBe("NoLongerSupportedException");
    const refused = /^Glacier refused: this account has no Glacier vault storage, /.source;
    expect(error.message).toMatch(
      new RegExp(refused + /and the vault service closed to new customers on 15 December 2025/.source),
    );
  });

  it("gives up on throttling after the retry layer's attempts, with a one-line message", async () => {
    const harness = await startHarness({ faults: "throttle,op=ListVaults" });
    const error = (await harness.port.listVaults().catch((e: unknown) => e)) as ServiceError;
    expect(error.message).toBe("Glacier is throttling requests (ListVaults) (gave up after 3 attempts)");
    expect(harness.calls("ListVaults")).toHaveLength(3);
    expect(harness.clock.sleeps).toHaveLength(2);
  });

  it("repeats an UploadArchive cut by a connection reset, so the file is stored instead of failing", async () => {
    const harness = await startHarness({ faults: "reset,op=UploadArchive,times=2" });
    await harness.port.createVault("v");
    const body = Buffer.from("backup bytes");
    const created = await harness.port.uploadArchive({
      vault: "v",
      body,
      treeHash: treeHash(body),
      sha256: createHash("sha256").update(body).digest("hex"),
    });
    expect(created.archiveId).toMatch(/\S/);
    expect(harness.calls("UploadArchive").map((c) => c.faults)).toEqual([["reset"], ["reset"], []]);
  });

  it("retries InitiateJob answered 503 InsufficientCapacityException (try again later)", async () => {
    const harness = await startHarness({ faults: "503,op=InitiateJob,nth=1" });
    await harness.port.createVault("v");
    const body = Buffer.from("backup bytes");
    const { archiveId } = await harness.port.uploadArchive({
      vault: "v",
      body,
      treeHash: treeHash(body),
      sha256: createHash("sha256").update(body).digest("hex"),
    });
    const job = await harness.port.initiateJob("v", { type: "archive", archiveId });
    expect(job.jobId).toMatch(/\S/);
    expect(harness.calls("InitiateJob").map((c) => c.status)).toEqual([503, 202]);
  });

  it("reports a refused connection with the endpoint, without retrying for minutes", async () => {
    const harness = await startHarness();
    const url = harness.emulator.url;
    await harness.emulator.close();
    const port = retryingPort(
      createSdkPort({ region: "us-east-1", endpointUrl: url, credentials: { accessKeyId: "a", secretAccessKey: "b" } }),
      { clock: harness.clock },
    );
    const error = (await port.listVaults().catch((e: unknown) => e)) as ServiceError;
    expect(error.message).toBe(`cannot reach Glacier at ${url}: Connection refused (gave up after 3 attempts)`);
    expect(harness.clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(5_000);
    await port.close();
  });

  it("says no credentials were found when the SDK's chain has none", async () => {
    const harness = await startHarness();
    const dir = harness.dir;
    // A profile that exists nowhere: the SDK's chain fails without looking at the network.
    const port = createSdkPort({
      region: "us-east-1",
      endpointUrl: harness.emulator.url,
      profile: "no-such-profile-anywhere",
    });
    const previous = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
    process.env.AWS_CONFIG_FILE = `${dir}/none-config`;
    process.env.AWS_SHARED_CREDENTIALS_FILE = `${dir}/none-credentials`;
    try {
      const error = (await port.listVaults().catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(ConsoleError);
      expect(error.message).toBe(NO_CREDENTIALS_MESSAGE);
    } finally {
      restore("AWS_CONFIG_FILE", previous.config);
      restore("AWS_SHARED_CREDENTIALS_FILE", previous.credentials);
      await port.close();
    }
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) Reflect.deleteProperty(process.env, name);
  else process.env[name] = value;
}
