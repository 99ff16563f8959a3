// Our `glacier` against a second S3 implementation we did not write: s3rver (npm, pinned), serving
// PutObject, HeadObject, ranged GetObject and ListObjectsV2 from a folder. It keeps no storage
// classes (every object reads at once, like STANDARD) and sends back no checksums, so this checks
// that our requests are S3's and not only our emulator's: upload, list from the bucket itself (a
// fresh cache syncs by ListObjectsV2 and HeadObject), retrieve by ranges with --storage-class
// STANDARD, bytes verified. s3rver has no ListParts, which our multipart uploads need to complete, so
// the files here fit in one PutObject (under 8 MiB).
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runGlacier, userEnv } from "../helpers/run-bin.ts";
import { S3RVER_KEYS, startS3rver } from "../helpers/s3rver.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const s3Keys = (url: string) => ({
  AWS_ENDPOINT_URL_S3: url,
  AWS_ACCESS_KEY_ID: S3RVER_KEYS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: S3RVER_KEYS.secretAccessKey,
});

describe("glacier against s3rver, a second S3 implementation", () => {
  it("uploads, lists from the bucket into a fresh cache, and retrieves verified bytes by ranges", async () => {
    const url = await startS3rver();
    const root = await tempDir("glacier-s3rver-");
    const [home, other, work] = [join(root, "home"), join(root, "other"), join(root, "work")];
    await Promise.all([mkdir(home), mkdir(other), mkdir(work)]);
    const env = { ...userEnv(home, "http://127.0.0.1:9"), ...s3Keys(url) };
    const glacier = (...args: string[]) =>
      runGlacier(["--storage-class", "STANDARD", ...args], { cwd: work, env, extendEnv: false });
    // The same user on another computer: an empty cache, which only the bucket can fill.
    const elsewhere = (...args: string[]) =>
      runGlacier(args, {
        cwd: work,
        env: { ...env, ...userEnv(other, "http://127.0.0.1:9"), ...s3Keys(url) },
        extendEnv: false,
      });
    const small = randomBytes(100_000);
    const big = randomBytes(7 * 1024 * 1024 + 4321);
    await writeFile(join(work, "small.bin"), small);
    await writeFile(join(work, "big.bin"), big);

    expect(await glacier("vault", "create", "s3://second")).toMatchObject({ exitCode: 0, stderr: "" });
    expect(
      await glacier("archive", "upload", "--name", "docs/small.bin", "s3://second/host", "small.bin"),
    ).toMatchObject({
      exitCode: 0,
      stderr: "",
    });
    expect(
      await glacier(
        "archive",
        "upload",
        "--part-size",
        "8388608",
        "--name",
        "images/big.bin",
        "s3://second/host",
        "big.bin",
      ),
    ).toMatchObject({ exitCode: 0, stderr: "" });

    expect(await elsewhere("vault", "sync", "s3://second/host")).toMatchObject({ exitCode: 0 });
    const listed = await elsewhere("archive", "list", "s3://second/host");
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(
      listed.stdout
        .split("\n")
        .filter((l) => l !== "")
        .sort(),
    ).toEqual(["docs/small.bin", "images/big.bin"]);

    for (const [name, data] of [
      ["docs/small.bin", small],
      ["images/big.bin", big],
    ] as const) {
      const out = join(work, `back-${name.replace("/", "-")}`);
      const got = await elsewhere(
        "archive",
        "retrieve",
        "--multipart-size",
        "1048576",
        "-o",
        out,
        "s3://second/host",
        name,
      );
      expect(got, name).toMatchObject({ exitCode: 0, stdout: "" });
      expect((await readFile(out)).equals(data)).toBe(true);
    }
  }, 120_000);
});
