// openGlacier: the port commands get, built from flags and environment as docs/architecture.md#composition-root says.
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { treeHash } from "../../src/core/tree-hash.ts";
import { openGlacier } from "../../src/glacier/open.ts";
import { SkippingClock, startHarness } from "./helpers.ts";
import { tempDir } from "../helpers/temp-dir.ts";

describe("openGlacier", () => {
  it("runs the emulator in-process for local:DIR, with no credentials configured, and keeps the data in DIR", async () => {
    const dir = await tempDir();
    const open = () =>
      openGlacier({ global: { endpointUrl: "local:vaults" }, env: {}, cwd: dir, clock: new SkippingClock() });
    const port = await open();
    expect(port.endpoint).toBe(`local:${join(dir, "vaults")}`);
    await port.createVault("backups");
    const body = Buffer.from("kept across runs");
    await port.uploadArchive({
      vault: "backups",
      body,
      treeHash: treeHash(body),
      sha256: createHash("sha256").update(body).digest("hex"),
    });
    await port.close();
    expect(await readdir(join(dir, "vaults"))).not.toEqual([]);
    const again = await open();
    expect((await again.listVaults()).map((v) => v.name)).toEqual(["backups"]);
    await again.close();
  });

  it("follows AWS_ENDPOINT_URL_GLACIER with the keys and region from the environment it is given", async () => {
    const harness = await startHarness({
      auth: "strict",
      region: "eu-west-1",
      credentials: { accessKeyId: "AKIDENV", secretAccessKey: "env-secret" },
    });
    const port = await openGlacier({
      global: {},
      env: {
        AWS_ENDPOINT_URL_GLACIER: harness.emulator.url,
        AWS_ACCESS_KEY_ID: "AKIDENV",
        AWS_SECRET_ACCESS_KEY: "env-secret",
        AWS_REGION: "eu-west-1",
      },
      cwd: harness.dir,
      clock: harness.clock,
    });
    expect(port.region).toBe("eu-west-1");
    await port.createVault("v");
    expect((await port.describeVault("v")).arn).toMatch(/^arn:aws:glacier:eu-west-1:/);
    await port.close();
  });

  it("takes the region from the profile in the shared config file", async () => {
    const harness = await startHarness({
      auth: "strict",
      region: "ap-southeast-2",
      credentials: { accessKeyId: "AKIDP", secretAccessKey: "p-secret" },
    });
    const config = join(harness.dir, "config");
    await writeFile(config, "[profile sydney]\nregion = ap-southeast-2\n");
    const port = await openGlacier({
      global: { endpointUrl: harness.emulator.url },
      env: {
        AWS_CONFIG_FILE: config,
        AWS_PROFILE: "sydney",
        AWS_ACCESS_KEY_ID: "AKIDP",
        AWS_SECRET_ACCESS_KEY: "p-secret",
      },
      cwd: harness.dir,
      clock: harness.clock,
    });
    expect(port.region).toBe("ap-southeast-2");
    expect(await port.listVaults()).toEqual([]);
    await port.close();
  });
});
