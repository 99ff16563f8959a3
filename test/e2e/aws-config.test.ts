// The AWS shared config file through the binary: a missing one is the usual case and is ignored; one
// that exists but cannot be read is reported in one line instead of silently replaced by defaults
// (which would send requests to another region than the user configured).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld } from "../helpers/cli-env.ts";

describe("the AWS config file", () => {
  it("is ignored when it does not exist", async () => {
    const world = await cliWorld();
    await world.glacier(["vault", "create", "v"]);
    const result = await world.glacier(["vault", "list"], {
      env: { AWS_CONFIG_FILE: join(world.dir, "no-such-config") },
    });
    expect(result).toEqual({ exitCode: 0, stdout: "v\n", stderr: "" });
  });

  it("gives its region to the profile that names one", async () => {
    const world = await cliWorld();
    const config = join(world.dir, "config");
    await writeFile(config, "[profile eu]\nregion = eu-west-1\n");
    await world.glacier(["vault", "create", "v"], {
      env: { AWS_CONFIG_FILE: config, AWS_PROFILE: "eu", AWS_REGION: "" },
    });
    const inEu = world.emulator.control
      .requestLog()
      .filter((r) => r.operation === "CreateVault")
      .map((r) => r.region);
    expect(inEu).toEqual(["eu-west-1"]);
  });

  it("that cannot be read is reported in one line with exit 1, and nothing is sent", async () => {
    const world = await cliWorld();
    // A folder where the file should be: unreadable as a file even for root, who ignores permission bits.
    const config = join(world.dir, "config-folder");
    await mkdir(config);
    const result = await world.glacier(["vault", "create", "v"], { env: { AWS_CONFIG_FILE: config } });
    expect(result).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: `glacier: ${config}: cannot read the AWS config file: Is a directory\n`,
    });
    expect(world.emulator.control.requestLog()).toEqual([]);
  });
});
