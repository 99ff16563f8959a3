// The emulator driven by an independent client: the AWS CLI (`aws glacier ... --endpoint-url`),
// with signatures checked in strict mode.
import { execa } from "execa";
import { CreateVaultCommand } from "@aws-sdk/client-glacier";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MiB, treeHash } from "../../src/core/tree-hash.ts";
import { awsCli } from "../helpers/tools.ts";
import { TEST_CREDENTIALS, bytes, testEmulator } from "./helpers.ts";

async function cliEmulator() {
  const t = await testEmulator({ auth: "strict", credentials: TEST_CREDENTIALS });
  const env = {
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
  };
  const awsBin = await awsCli();
  const aws = async (...args: string[]) => {
    const r = await execa(
      awsBin,
      ["glacier", ...args, "--account-id", "-", "--endpoint-url", t.emulator.url, "--output", "json"],
      { env, reject: false },
    );
    return {
      exitCode: r.exitCode,
      stderr: r.stderr,
      json: r.stdout.trim() === "" ? {} : (JSON.parse(r.stdout) as Record<string, unknown>),
    };
  };
  return { ...t, aws };
}

// IDs are passed as --job-id=ID: real IDs may start with "-" (docs/glacier-api.md#identifiers), which the CLI's
// argument parser would otherwise take for an option.
describe("emulator with the AWS CLI", () => {
  it("creates vaults and lists them all across pages", async () => {
    const { aws, client } = await cliEmulator();
    expect((await aws("create-vault", "--vault-name", "vault-00")).exitCode).toBe(0);
    for (let i = 1; i < 12; i++)
      await client.send(new CreateVaultCommand({ accountId: "-", vaultName: `vault-${String(i).padStart(2, "0")}` }));
    const listed = await aws("list-vaults");
    expect((listed.json["VaultList"] as { VaultName: string }[]).map((v) => v.VaultName)).toHaveLength(12);
  }, 60_000);

  it(
    "uploads single and multipart archives whose checksums " + "the CLI computed, then retrieves a verified range",
    async () => {
      const { aws, dataDir } = await cliEmulator();
      await aws("create-vault", "--vault-name", "v");
      const small = bytes(3000);
      await writeFile(join(dataDir, "small.bin"), small);
      const single = await aws(
        "upload-archive",
        "--vault-name",
        "v",
        "--body",
        join(dataDir, "small.bin"),
        "--archive-description",
        "small one",
      );
      expect(single.json).toMatchObject({ checksum: treeHash(small) });

      const big = bytes(2 * MiB + 10, 3);
      const init = await aws("initiate-multipart-upload", "--vault-name", "v", "--part-size", String(MiB));
      const uploadId = init.json["uploadId"] as string;
      for (const [k, start] of [0, MiB, 2 * MiB].entries()) {
        const part = big.subarray(start, Math.min(start + MiB, big.length));
        await writeFile(join(dataDir, `part${k}`), part);
        const out = await aws(
          "upload-multipart-part",
          "--vault-name",
          "v",
          `--upload-id=${uploadId}`,
          "--range",
          `bytes ${start}-${start + part.length - 1}/*`,
          "--body",
          join(dataDir, `part${k}`),
        );
        expect(out.json).toMatchObject({ checksum: treeHash(part) });
      }
      const done = await aws(
        "complete-multipart-upload",
        "--vault-name",
        "v",
        `--upload-id=${uploadId}`,
        "--checksum",
        treeHash(big),
        "--archive-size",
        String(big.length),
      );
      expect(done.json).toMatchObject({ checksum: treeHash(big) });

      const job = await aws(
        "initiate-job",
        "--vault-name",
        "v",
        "--job-parameters",
        JSON.stringify({ Type: "archive-retrieval", ArchiveId: done.json["archiveId"] }),
      );
      const described = await aws("describe-job", "--vault-name", "v", `--job-id=${job.json["jobId"] as string}`);
      expect(described.json).toMatchObject({ StatusCode: "Succeeded", ArchiveSHA256TreeHash: treeHash(big) });
      const outFile = join(dataDir, "out.bin");
      const output = await aws(
        "get-job-output",
        "--vault-name",
        "v",
        `--job-id=${job.json["jobId"] as string}`,
        "--range",
        `bytes=${MiB}-${2 * MiB - 1}`,
        outFile,
      );
      expect(output.json).toMatchObject({
        status: 206,
        checksum: treeHash(big.subarray(MiB, 2 * MiB)),
        acceptRanges: "bytes",
      });
    },
    60_000,
  );

  it("reads an inventory, deletes an archive and reports errors with Glacier's codes", async () => {
    const { aws, emulator, dataDir } = await cliEmulator();
    await aws("create-vault", "--vault-name", "v");
    await writeFile(join(dataDir, "a.bin"), bytes(10));
    const up = await aws("upload-archive", "--vault-name", "v", "--body", join(dataDir, "a.bin"));
    await emulator.control.generateInventory("v");
    const job = await aws("initiate-job", "--vault-name", "v", "--job-parameters", '{"Type":"inventory-retrieval"}');
    expect(job.stderr).toBe("");
    const fetched = await aws(
      "get-job-output",
      "--vault-name",
      "v",
      `--job-id=${job.json["jobId"] as string}`,
      join(dataDir, "inv.json"),
    );
    expect(fetched.stderr).toBe("");
    const inventory = JSON.parse(await readFile(join(dataDir, "inv.json"), "utf8")) as {
      ArchiveList: { ArchiveId: string }[];
    };
    expect(inventory.ArchiveList.map((a) => a.ArchiveId)).toEqual([up.json["archiveId"]]);
    expect(
      (await aws("delete-archive", "--vault-name", "v", `--archive-id=${up.json["archiveId"] as string}`)).exitCode,
    ).toBe(0);
    const missing = await aws("describe-vault", "--vault-name", "nope");
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toContain("ResourceNotFoundException");
    const badStatus = await aws("list-jobs", "--vault-name", "v", "--statuscode", "finished");
    expect(badStatus.stderr).toContain("The job status code is not valid: finished");
  }, 60_000);
});
