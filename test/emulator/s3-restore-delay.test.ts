// glacier-emulator --restore-delay: realistic restore times set per class and tier on the program's
// command line, observed on its virtual clock through the control API.
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  RestoreObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { execa } from "execa";
import { createInterface } from "node:readline";
import { describe, expect, it, onTestFinished } from "vitest";
import { ROOT } from "../helpers/run-bin.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { TEST_CREDENTIALS } from "./helpers.ts";

const BIN = `${ROOT}bin/glacier-emulator.js`;

async function launch(args: string[]) {
  const child = execa(process.execPath, [BIN, ...args], { reject: false });
  onTestFinished(async () => {
    child.kill("SIGTERM");
    await child;
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    void child.then((r) => {
      reject(new Error(`emulator exited ${String(r.exitCode)}: ${r.stderr}`));
    });
  });
  const s3 = new S3Client({ region: "us-east-1", endpoint: url, forcePathStyle: true, credentials: TEST_CREDENTIALS });
  onTestFinished(() => {
    s3.destroy();
  });
  const advance = async (seconds: number) => {
    expect((await fetch(`${url}/_emulator/clock?advance=${String(seconds)}`, { method: "POST" })).status).toBe(200);
  };
  return { s3, advance };
}

describe("glacier-emulator --restore-delay", () => {
  it("completes a DEEP_ARCHIVE Standard restore after the delay given, Bulk after its realistic 48 h", async () => {
    const { s3, advance } = await launch(["--data", await tempDir(), "--restore-delay", "DEEP_ARCHIVE.Standard=3600"]);
    await s3.send(new CreateBucketCommand({ Bucket: "cold" }));
    for (const Key of ["std", "bulk"])
      await s3.send(new PutObjectCommand({ Bucket: "cold", Key, Body: Key, StorageClass: "DEEP_ARCHIVE" }));
    for (const [Key, Tier] of [
      ["std", "Standard"],
      ["bulk", "Bulk"],
    ] as const)
      await s3.send(
        new RestoreObjectCommand({ Bucket: "cold", Key, RestoreRequest: { Days: 1, GlacierJobParameters: { Tier } } }),
      );
    const restore = async (Key: string) => (await s3.send(new HeadObjectCommand({ Bucket: "cold", Key }))).Restore;
    await advance(3599);
    expect(await restore("std")).toBe('ongoing-request="true"');
    await advance(1);
    expect(await restore("std")).toMatch(/^ongoing-request="false", expiry-date="/);
    const got = await s3.send(new GetObjectCommand({ Bucket: "cold", Key: "std" }));
    expect(await got.Body?.transformToString()).toBe("std");
    await advance(47 * 3600 - 1);
    expect(await restore("bulk")).toBe('ongoing-request="true"');
    await advance(1);
    expect(await restore("bulk")).toMatch(/^ongoing-request="false"/);
  });

  it("refuses a delay it cannot read with one usage line and exit 2", async () => {
    const r = await execa(
      process.execPath,
      [BIN, "--data", await tempDir(), "--restore-delay", "DEEP_ARCHIVE.Expedited=5"],
      {
        reject: false,
      },
    );
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe("glacier-emulator: --restore-delay: DEEP_ARCHIVE has no Expedited tier");
  });
});
