// Job output is sent from two reused buffers (src/emulator/send-file.ts): a client that goes away
// half-way must not stop the server or spoil the bytes of the next download.
import {
  CreateVaultCommand,
  GetJobOutputCommand,
  InitiateJobCommand,
  UploadArchiveCommand,
} from "@aws-sdk/client-glacier";
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { MiB, treeHash } from "../../src/core/tree-hash.ts";
import { bytes, testEmulator } from "./helpers.ts";

const acct = { accountId: "-", vaultName: "v" };

/** Reads the first chunk of the job's output, then drops the connection. */
function abandonDownload(url: string, jobId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/-/vaults/v/jobs/${jobId}/output`,
      { headers: { "x-amz-glacier-version": "2012-06-01" } },
      (res) => {
        res.once("data", (chunk: Buffer) => {
          req.destroy();
          resolve(chunk.length);
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("job output sent from reused buffers", () => {
  it("keeps serving whole, verified output after clients abandon downloads half-way", async () => {
    const t = await testEmulator({ auth: "off" });
    await t.client.send(new CreateVaultCommand(acct));
    const first = bytes(5 * MiB + 3, 1);
    const second = bytes(3 * MiB + 1, 2);
    const jobs: string[] = [];
    for (const data of [first, second]) {
      const { archiveId } = await t.client.send(new UploadArchiveCommand({ ...acct, body: data }));
      const { jobId } = await t.client.send(
        new InitiateJobCommand({ ...acct, jobParameters: { Type: "archive-retrieval", ArchiveId: archiveId } }),
      );
      jobs.push(jobId!);
    }
    for (let i = 0; i < 3; i++) expect(await abandonDownload(t.emulator.url, jobs[0]!)).toBeGreaterThan(0);
    for (const [index, data] of [first, second].entries()) {
      const out = await t.client.send(new GetJobOutputCommand({ ...acct, jobId: jobs[index]! }));
      const body = Buffer.from(await out.body!.transformToByteArray());
      expect(body.equals(data)).toBe(true);
      expect(out.checksum).toBe(treeHash(data));
    }
    const ranged = await t.client.send(
      new GetJobOutputCommand({ ...acct, jobId: jobs[0]!, range: `bytes=${MiB}-${3 * MiB - 1}` }),
    );
    expect(Buffer.from(await ranged.body!.transformToByteArray()).equals(first.subarray(MiB, 3 * MiB))).toBe(true);
    expect(ranged.$metadata.httpStatusCode).toBe(206);
  });
});
