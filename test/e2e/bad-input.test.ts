// Each bad input through the binary gives one line on stderr, the documented exit
// code, and leaves the cache as it was.
import { appendFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld } from "../helpers/cli-env.ts";
import { runGlacier } from "../helpers/run-bin.ts";

const HOUR = 3600;
const MiB = 1024 * 1024;
const oneLine = (stderr: string) => {
  expect(stderr).toMatch(/^glacier: [^\n]+\n$/);
};

describe("bad input through the glacier binary", () => {
  it("exits after a cache error even while the local:DIR emulator was still starting", async () => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "f"), "x");
    await writeFile(join(world.dir, "not-a-folder"), "x");
    const args = [
      "--endpoint-url",
      `local:${join(world.dir, "vaults")}`,
      "--cache-dir",
      join(world.dir, "not-a-folder"),
      "archive",
      "upload",
      "v",
      "f",
    ];
    // It used to print the error and then hang: the emulator's server was never closed.
    const result = await runGlacier(args, {
      cwd: world.dir,
      env: world.env,
      extendEnv: false,
      timeout: 30_000,
      killSignal: "SIGKILL",
    });
    expect(result.exitCode).toBe(1);
    oneLine(result.stderr);
    expect(result.stderr).toContain("not-a-folder");
  });

  it("says an invalid vault name is invalid in archive list too, which reads only the cache", async () => {
    const world = await cliWorld();
    const result = await world.glacier(["archive", "list", "no/such"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^glacier: invalid vault name 'no\/such': it contains other characters; .*\n$/);
  });

  it("says there are no credentials in one line when none are configured", async () => {
    const world = await cliWorld();
    const result = await world.glacier(["vault", "list"], {
      env: {
        AWS_ACCESS_KEY_ID: "",
        AWS_SECRET_ACCESS_KEY: "",
        AWS_CONFIG_FILE: "/nonexistent",
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    });
    expect(result).toEqual({
      exitCode: 1,
      stdout: "",
      stderr:
        "glacier: no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, choose a " +
        "profile with --profile or AWS_PROFILE, or use --endpoint-url local:DIR\n",
    });
  });

  it("reports a wrong secret key as a signature problem in one line, and records nothing", async () => {
    const world = await cliWorld({
      auth: "strict",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "the-right-secret" },
    });
    await writeFile(join(world.dir, "f"), "x");
    const result = await world.glacier(["archive", "upload", "v", "f"]);
    expect(result.exitCode).toBe(1);
    oneLine(result.stderr);
    expect(result.stderr).toMatch(/signature/i);
    expect(result.stderr).not.toContain("example-secret-for-tests");
    expect((await world.glacier(["archive", "list", "v"])).stdout).toBe("");
  });

  it("queues a new job instead of using one whose output expired 24 hours after completion", async () => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "f"), "content");
    await world.glacier(["vault", "create", "v"]);
    await world.glacier(["archive", "upload", "v", "f"]);
    expect((await world.glacier(["archive", "retrieve", "-o", "out", "v", "f"])).exitCode).toBe(75);
    await world.emulator.control.advanceClock(25 * HOUR);
    const result = await world.glacier(["archive", "retrieve", "-o", "out", "v", "f"]);
    expect(result).toEqual({ exitCode: 75, stdout: "", stderr: "glacier: queued retrieval job for archive 'f'\n" });
    expect(await readdir(world.dir)).toEqual(["f"]);
  });

  it("refuses a file that grows while it is uploaded, and records nothing", async () => {
    const world = await cliWorld();
    const path = join(world.dir, "growing.img");
    await writeFile(path, Buffer.alloc(48 * MiB, 7));
    await world.glacier(["vault", "create", "v"]);
    const upload = world.glacier([
      "archive",
      "upload",
      "--part-size",
      "1048576",
      "--concurrency",
      "1",
      "v",
      "growing.img",
    ]);
    // Append until the upload ends, so the file grows during it however slowly the machine starts the process.
    // A property, not a local: the callbacks set it, which narrowing of a local would not see.
    const progress = { settled: false };
    const settle = (): void => {
      progress.settled = true;
    };
    void upload.then(settle, settle);
    while (!progress.settled) {
      await appendFile(path, Buffer.alloc(4096, 1));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const result = await upload;
    expect(result.exitCode).toBe(1);
    oneLine(result.stderr);
    expect(result.stderr).toMatch(/^glacier: growing\.img: .*chang/);
    expect((await world.glacier(["archive", "list", "v"])).stdout).toBe("");
  });

  it("rejects a bad --multipart-size and --tier as usage errors", async () => {
    const world = await cliWorld();
    const size = await world.glacier(["archive", "retrieve", "--multipart-size", "1000", "v", "f"]);
    expect(size.exitCode).toBe(2);
    expect(size.stderr.split("\n")[0]).toMatch(/^glacier: --multipart-size/);
    const tier = await world.glacier(["archive", "retrieve", "--tier", "Fast", "v", "f"]);
    expect(tier.exitCode).toBe(2);
    expect(tier.stderr.split("\n")[0]).toBe('glacier: --tier: expected Expedited, Standard or Bulk, got "Fast"');
  });
});
