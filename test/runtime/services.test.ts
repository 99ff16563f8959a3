// The port both programs get from the composition root, built from flags, environment and the shared
// config file as docs/architecture.md#the-composition-root says.
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { treeHash } from "../../src/core/tree-hash.ts";
import type { Clock } from "../../src/core/clock.ts";
import type { GlobalOptions } from "../../src/services/backend-settings.ts";
import { openServices } from "../../src/runtime/services.ts";
import { SkippingClock, startHarness } from "../glacier/helpers.ts";
import { tempDir } from "../helpers/temp-dir.ts";

interface PortInput {
  global: Omit<GlobalOptions, "debug">;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  clock: Clock;
}

/** The port of a run; closing it closes the whole run's services. */
async function openPort(input: PortInput) {
  const services = openServices({ ...input, global: { ...input.global, debug: false }, warn: () => undefined });
  const port = await services.glacier();
  return { ...port, close: () => services.close() };
}

describe("the composition root's port", () => {
  it("runs the emulator in-process for local:DIR with no credentials configured, keeping the data in DIR", async () => {
    const dir = await tempDir();
    const open = () =>
      openPort({ global: { endpointUrl: "local:vaults" }, env: {}, cwd: dir, clock: new SkippingClock() });
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
    const port = await openPort({
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
    const port = await openPort({
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
