// Fault injection seen from the SDK and from raw sockets.
import {
  CreateVaultCommand,
  DescribeJobCommand,
  GetJobOutputCommand,
  GlacierClient,
  InitiateJobCommand,
  ListVaultsCommand,
  UploadArchiveCommand,
} from "@aws-sdk/client-glacier";
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { MiB, treeHash } from "../../src/core/tree-hash.ts";
import { FaultInjector } from "../../src/emulator/faults.ts";
import { TEST_CREDENTIALS, bytes, testEmulator } from "./helpers.ts";

const acct = { accountId: "-", vaultName: "v" };

async function withArchive(size = 2 * MiB) {
  // auth off: the raw requests below are unsigned.
  const t = await testEmulator({ auth: "off" });
  await t.client.send(new CreateVaultCommand(acct));
  const data = bytes(size);
  const { archiveId } = await t.client.send(new UploadArchiveCommand({ ...acct, body: data }));
  const { jobId } = await t.client.send(
    new InitiateJobCommand({ ...acct, jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId } }),
  );
  return { ...t, data, jobId: jobId! };
}

/** Raw GET of a job's output: what arrived, and how the connection ended. */
function rawGet(
  url: string,
  path: string,
): Promise<{ status?: number; length?: number; received: Buffer; error?: string; checksum?: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const req = request(`${url}${path}`, { headers: { "x-amz-glacier-version": "2012-06-01" } }, (res) => {
      const done = (error?: string) => {
        resolve({
          status: res.statusCode,
          length: Number(res.headers["content-length"]),
          received: Buffer.concat(chunks),
          checksum: res.headers["x-amz-sha256-tree-hash"] as string | undefined,
          ...(error ? { error } : {}),
        });
      };
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        done();
      });
      res.on("error", (e: NodeJS.ErrnoException) => {
        done(e.code ?? e.message);
      });
      res.on("aborted", () => {
        done("aborted");
      });
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      resolve({ received: Buffer.alloc(0), error: e.code ?? e.message });
    });
    req.end();
  });
}

describe("fault injection", () => {
  it("throttles exactly the n-th matching request with ThrottlingException", async () => {
    const { client, emulator } = await testEmulator({ faults: "throttle,op=CreateVault,nth=2" });
    await client.send(new CreateVaultCommand({ accountId: "-", vaultName: "a" }));
    const second = await client
      .send(new CreateVaultCommand({ accountId: "-", vaultName: "b" }))
      .catch((e: unknown) => e);
    expect(second).toMatchObject({ name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
    await client.send(new CreateVaultCommand({ accountId: "-", vaultName: "c" }));
    expect(emulator.control.requestLog().map((e) => [e.operation, e.status, e.faults])).toEqual([
      ["CreateVault", 201, []],
      ["CreateVault", 400, ["throttle"]],
      ["CreateVault", 201, []],
    ]);
  });

  it("answers 500, 503 and 408 with Glacier's error JSON, which the SDK retries", async () => {
    const { emulator } = await testEmulator({
      faults: "500,op=ListVaults,nth=1;503,op=ListVaults,nth=2;408,op=ListVaults,nth=3",
    });
    const retrying = new GlacierClient({
      region: "us-east-1",
      endpoint: emulator.url,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 4,
      retryStrategy: undefined,
    });
    const out = await retrying.send(new ListVaultsCommand({ accountId: "-" }));
    retrying.destroy();
    expect(out.$metadata.attempts).toBe(4);
    expect(emulator.control.requestLog().map((e) => e.status)).toEqual([500, 503, 408, 200]);
  }, 20_000);

  it("replays the same probabilistic faults for the same seed", () => {
    const run = (seed: number) => {
      const injector = new FaultInjector("500,p=0.5", seed);
      return Array.from({ length: 20 }, () => injector.pick("ListVaults", "").length);
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  it("resets the connection before answering", async () => {
    const { emulator, jobId } = await withArchive();
    emulator.control.setFaults("reset,op=GetJobOutput");
    const result = await rawGet(emulator.url, `/-/vaults/v/jobs/${jobId}/output`);
    expect(result.status).toBeUndefined();
    expect(result.error).toBe("ECONNRESET");
  });

  it("resets the connection in the middle of a download body", async () => {
    const { emulator, jobId, data } = await withArchive();
    emulator.control.setFaults("reset-body,op=GetJobOutput");
    const result = await rawGet(emulator.url, `/-/vaults/v/jobs/${jobId}/output`);
    expect(result.status).toBe(200);
    expect(result.error).toBeDefined();
    expect(result.received.length).toBeLessThan(data.length);
  });

  it("truncates a download body while announcing the full Content-Length", async () => {
    const { emulator, jobId, data } = await withArchive();
    emulator.control.setFaults("truncate,op=GetJobOutput,times=1");
    const result = await rawGet(emulator.url, `/-/vaults/v/jobs/${jobId}/output`);
    expect(result.length).toBe(data.length);
    expect(result.received.length).toBe(data.length / 2);
    expect(result.received.equals(data.subarray(0, data.length / 2))).toBe(true);
  });

  it("corrupts one output byte but keeps the true tree-hash header", async () => {
    const { client, emulator, jobId, data } = await withArchive();
    emulator.control.setFaults("corrupt,op=GetJobOutput");
    const out = await client.send(new GetJobOutputCommand({ ...acct, jobId }));
    const received = Buffer.from(await out.body!.transformToByteArray());
    expect(out.checksum).toBe(treeHash(data));
    expect(received.length).toBe(data.length);
    expect(treeHash(received)).not.toBe(treeHash(data));
  });

  it("resets the connection halfway through an upload body and stores nothing", async () => {
    const { client, emulator } = await testEmulator({ faults: "reset-upload,op=UploadArchive" });
    await client.send(new CreateVaultCommand(acct));
    const error = await client
      .send(new UploadArchiveCommand({ ...acct, body: bytes(4 * MiB) }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) as unknown });
    const state = await emulator.control.dumpState();
    expect(state.vaults["v"]?.archives).toEqual({});
  });

  it(
    "logs a 408 and a reset halfway through an upload " + "body, with their faults, before the client sees either",
    async () => {
      const { client, emulator } = await testEmulator({
        faults: "408,op=UploadArchive,nth=1;reset-upload,op=UploadArchive,nth=2",
      });
      await client.send(new CreateVaultCommand(acct));
      const logged = () =>
        emulator.control
          .requestLog()
          .filter((e) => e.operation === "UploadArchive")
          .map((e) => [e.status, e.faults]);
      const timeout = await client
        .send(new UploadArchiveCommand({ ...acct, body: bytes(4 * MiB) }))
        .catch((e: unknown) => e);
      expect(timeout).toMatchObject({ name: "RequestTimeoutException", $metadata: { httpStatusCode: 408 } });
      expect(logged()).toEqual([[408, ["408"]]]);
      const reset = await client
        .send(new UploadArchiveCommand({ ...acct, body: bytes(4 * MiB) }))
        .catch((e: unknown) => e);
      expect(reset).toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) as unknown });
      expect(logged()).toEqual([
        [408, ["408"]],
        [0, ["reset-upload"]],
      ]);
      await client.send(new UploadArchiveCommand({ ...acct, body: bytes(4 * MiB) }));
      expect(logged()).toEqual([
        [408, ["408"]],
        [0, ["reset-upload"]],
        [201, []],
      ]);
    },
  );

  it("repeats the marker a List call was given", async () => {
    const { client, emulator } = await testEmulator({ pageMax: { vaults: 1 } });
    for (const vaultName of ["a", "b", "c"]) await client.send(new CreateVaultCommand({ accountId: "-", vaultName }));
    emulator.control.setFaults("repeat-marker,op=ListVaults");
    const first = await client.send(new ListVaultsCommand({ accountId: "-" }));
    const second = await client.send(new ListVaultsCommand({ accountId: "-", marker: first.Marker }));
    expect(second.Marker).toBe(first.Marker);
  });

  it("makes an injected job end Failed, and its output unavailable", async () => {
    const { client, emulator } = await testEmulator({ faults: "fail-job,op=InitiateJob" });
    await client.send(new CreateVaultCommand(acct));
    const { archiveId } = await client.send(new UploadArchiveCommand({ ...acct, body: bytes(10) }));
    const { jobId } = await client.send(
      new InitiateJobCommand({ ...acct, jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId } }),
    );
    expect(await client.send(new DescribeJobCommand({ ...acct, jobId }))).toMatchObject({
      StatusCode: "Failed",
      Completed: true,
    });
    const error = await client.send(new GetJobOutputCommand({ ...acct, jobId })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidParameterValueException" });
    expect(emulator.control.faults()).toEqual([{ kind: "fail-job", operation: "InitiateJob" }]);
  });

  it("delays an answer by the latency asked for, and refuses a signature as skewed", async () => {
    const { client } = await testEmulator({ faults: "latency,op=ListVaults,ms=150;skew,op=CreateVault" });
    const started = Date.now();
    await client.send(new ListVaultsCommand({ accountId: "-" }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const skew = await client.send(new CreateVaultCommand(acct)).catch((e: unknown) => e);
    expect(skew).toMatchObject({ name: "InvalidSignatureException", $metadata: { httpStatusCode: 403 } });
  });

  it("can be set over HTTP under /_emulator/faults", async () => {
    const { client, emulator } = await testEmulator();
    const put = await fetch(`${emulator.url}/_emulator/faults`, { method: "PUT", body: "throttle,op=ListVaults" });
    expect(await put.json()).toEqual({ faults: [{ kind: "throttle", operation: "ListVaults" }] });
    const error = await client.send(new ListVaultsCommand({ accountId: "-" })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ThrottlingException" });
    const bad = await fetch(`${emulator.url}/_emulator/faults`, { method: "PUT", body: "meteor" });
    expect(bad.status).toBe(400);
  });
});
