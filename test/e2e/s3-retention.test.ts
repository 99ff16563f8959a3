// Reconcile and prune on an S3 address price and keep by the run's storage class
// (docs/backends.md#capabilities, docs/retention.md#s3-buckets): DEEP_ARCHIVE keeps a replaced
// object for 180 days, GLACIER for 90, and the plan names the class's prices.
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cliWorld, type CliWorld } from "../helpers/cli-env.ts";
import { awsCli } from "../helpers/tools.ts";

const DAY = 86_400;

async function enableVersioning(w: CliWorld, bucket: string): Promise<void> {
  const args = ["s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled"];
  const result = await execa(await awsCli(), [...args, "--endpoint-url", w.emulator.url], {
    env: { ...w.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_PAGER: "" },
    reject: false,
  });
  expect(result.exitCode, result.stderr).toBe(0);
}

describe("retention on S3 storage classes", () => {
  it("prices the plan at the class's rates and prunes a replaced object only after the class's minimum", async () => {
    const w = await cliWorld();
    const source = join(w.dir, "tree");
    await mkdir(source);
    await writeFile(join(source, "a"), randomBytes(300_000));
    await writeFile(join(source, "b"), randomBytes(200_000));
    const at = (days: number, args: string[]) =>
      w.glacier(args, {
        env: { AWS_ENDPOINT_URL_S3: w.emulator.url, GLACIER_CLOCK_OFFSET_SECONDS: String(days * DAY) },
      });
    expect((await at(0, ["vault", "create", "s3://keep-b"])).exitCode).toBe(0);
    await enableVersioning(w, "keep-b");
    const deep = ["--storage-class", "DEEP_ARCHIVE", "vault", "reconcile", "s3://keep-b/t", source];
    expect((await at(0, [...deep, "--commit"])).exitCode).toBe(0);

    await writeFile(join(source, "a"), randomBytes(300_000));
    const plan = await at(1, deep);
    expect(plan.exitCode).toBe(0);
    expect(plan.stderr).toMatch(/Estimated cost at us-east-1 S3 DEEP_ARCHIVE prices/);
    expect(plan.stderr).toMatch(/old versions: 1 kept, .* until 180 days after upload/);
    expect((await at(1, [...deep, "--commit"])).exitCode).toBe(0);

    const deepPrune = (days: number) =>
      at(days, ["--storage-class", "DEEP_ARCHIVE", "vault", "prune", "s3://keep-b/t", "--dry-run"]);
    const early = await deepPrune(100);
    expect(early.stderr).toMatch(/1 old version kept: within 180 days of upload/);
    expect(early.stderr).toMatch(/0 old versions would be deleted/);
    const glacier = await at(100, ["--storage-class", "GLACIER", "vault", "prune", "s3://keep-b/t", "--dry-run"]);
    expect(glacier.stderr).toMatch(/would delete old version a/);
    const late = await deepPrune(181);
    expect(late.stderr).toMatch(/would delete old version a/);
  });

  it("says that a changed file overwrites its object in a bucket without versioning, and what that costs", async () => {
    const w = await cliWorld();
    const source = join(w.dir, "tree");
    await mkdir(source);
    await writeFile(join(source, "a"), randomBytes(300_000));
    const env = { AWS_ENDPOINT_URL_S3: w.emulator.url };
    expect((await w.glacier(["vault", "create", "s3://plain-b"], { env })).exitCode).toBe(0);
    const deep = ["--storage-class", "DEEP_ARCHIVE", "vault", "reconcile", "s3://plain-b/t", source];
    expect((await w.glacier([...deep, "--commit"], { env })).exitCode).toBe(0);
    await writeFile(join(source, "a"), randomBytes(300_000));
    const plan = await w.glacier(deep, { env });
    expect(plan.exitCode, plan.stderr).toBe(0);
    expect(plan.stderr).toMatch(/1 changed file overwrites its object/);
    expect(plan.stderr).not.toMatch(/old versions: 1 kept/);
  });
});
