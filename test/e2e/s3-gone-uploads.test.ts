// `vault sync` on an s3:// address forgets an interrupted multipart upload only once S3 no longer
// lists it: the upload id S3's listing gives (no part size) names the same upload as the one the
// journal recorded from CreateMultipartUpload (with its part size), compared through the port.
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld, type CliWorld } from "../helpers/cli-env.ts";
import { awsCli } from "../helpers/tools.ts";

const MiB = 1024 * 1024;

async function s3World(): Promise<CliWorld> {
  const world = await cliWorld();
  world.env.AWS_ENDPOINT_URL_S3 = world.emulator.url;
  return world;
}

async function aws(w: CliWorld, ...args: string[]): Promise<Record<string, unknown>> {
  const result = await execa(await awsCli(), [...args, "--endpoint-url", w.emulator.url, "--output", "json"], {
    env: { ...w.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_PAGER: "" },
  });
  return result.stdout.trim() === "" ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
}

describe("vault sync and interrupted S3 multipart uploads", () => {
  it("keeps the record of an upload S3 still lists, and forgets it once the upload is aborted", async () => {
    const w = await s3World();
    await writeFile(join(w.dir, "big.bin"), randomBytes(9 * MiB));
    expect((await w.glacier(["vault", "create", "s3://uploads"])).exitCode).toBe(0);
    // The completion is refused: the run ends with its upload open in S3 and recorded in the journal.
    w.emulator.control.setFaults("skew,op=CompleteMultipartUpload");
    const failed = await w.glacier(["archive", "upload", "--part-size", "8388608", "s3://uploads", "big.bin"]);
    w.emulator.control.setFaults([]);
    expect(failed.exitCode).toBe(1);
    const open = (await aws(w, "s3api", "list-multipart-uploads", "--bucket", "uploads")).Uploads as {
      UploadId: string;
    }[];
    expect(open).toHaveLength(1);

    const kept = await w.glacier(["vault", "sync", "s3://uploads"]);
    expect(kept).toEqual({ exitCode: 0, stdout: "", stderr: "" });

    await aws(
      w,
      "s3api",
      "abort-multipart-upload",
      "--bucket",
      "uploads",
      "--key",
      "big.bin",
      "--upload-id",
      open[0]!.UploadId,
    );
    const forgot = await w.glacier(["vault", "sync", "s3://uploads"]);
    expect(forgot.exitCode).toBe(0);
    expect(forgot.stderr).toMatch(
      new RegExp(
        "^glacier: info: forgot the upload of 'big\\.bin' started \\S+: its process is gone and " +
          "Glacier no longer has the upload\n$",
      ),
    );
  });
});
