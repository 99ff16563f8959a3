// Regions through the CLI binary: Glacier has one endpoint per region, so a vault created with
// --region eu-west-1 is not in us-east-1 (the emulator takes the region from the signing scope).
import { describe, expect, it } from "vitest";
import { cliWorld } from "../helpers/cli-env.ts";

describe("glacier --region", () => {
  it("lists a vault created in eu-west-1 only in eu-west-1", async () => {
    const world = await cliWorld();
    await world.glacier(["--region", "eu-west-1", "vault", "create", "europe"]);
    expect((await world.glacier(["--region", "eu-west-1", "vault", "list"])).stdout).toBe("europe\n");
    expect((await world.glacier(["vault", "list"])).stdout).toBe("\n");
  });
});
