// Messages that end with the next step: what Glacier's refusal to delete a vault means and when to
// try again, an archive list of a vault the cache never saw, and an upload taken up after a kill.
import { execa } from "execa";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld } from "../helpers/cli-env.ts";
import { BIN } from "../helpers/run-bin.ts";

const MiB = 1024 * 1024;

describe("messages that say what to do next", () => {
  it("vault delete refused by Glacier explains the inventory rule and when to retry", async () => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "f"), "kept\n");
    expect((await world.glacier(["vault", "create", "v"])).exitCode).toBe(0);
    expect((await world.glacier(["archive", "upload", "v", "f"])).exitCode).toBe(0);
    const noInventory = await world.glacier(["vault", "delete", "v"]);
    expect(noInventory).toEqual({
      exitCode: 1,
      stdout: "",
      stderr:
        "glacier: Glacier refused to delete vault 'v': it deletes a vault only when its last inventory " +
        "listed no archive and nothing was written to it since; " +
        ("it has no inventory yet (Glacier takes one about a day after the first upload): delete its " +
          "archives, then try again a day after the last change\n"),
    });
    await world.emulator.control.generateInventory("v");
    const listed = await world.glacier(["vault", "delete", "v"]);
    expect(listed.exitCode).toBe(1);
    const refused = /^glacier: Glacier refused to delete vault 'v': .*; /.source;
    const inventory = /its last inventory \(\d{4}-\d\d-\d\dT[\d:]+Z\) lists 1 archives: /.source;
    const deleteThem = /delete any still there \('glacier archive list v', 'glacier archive delete'\), /.source;
    const retry = /then try again a day after the last deletion, once the next inventory shows the vault empty\n$/
      .source;
    expect(listed.stderr).toMatch(new RegExp(refused + inventory + deleteThem + retry));
    expect((await world.glacier(["archive", "delete", "v", "f"])).exitCode).toBe(0);
    await world.emulator.control.advanceClock(86_400);
    // Empty at its last inventory, then written to again.
    expect((await world.glacier(["archive", "upload", "--name", "g", "v", "f"])).exitCode).toBe(0);
    expect((await world.glacier(["archive", "delete", "v", "g"])).exitCode).toBe(0);
    const written = /; it was written to after its last inventory \(.*\): /.source;
    const retryAfterChange = /try again a day after the last change, once the next inventory shows the vault empty\n$/
      .source;
    expect((await world.glacier(["vault", "delete", "v"])).stderr).toMatch(new RegExp(written + retryAfterChange));
    await world.emulator.control.advanceClock(86_400);
    expect(await world.glacier(["vault", "delete", "v"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
  });

  it("archive list of a vault the cache never saw prints nothing on stdout and says so on stderr", async () => {
    const world = await cliWorld();
    expect(await world.glacier(["archive", "list", "unknown"])).toEqual({
      exitCode: 0,
      stdout: "",
      stderr:
        "glacier: info: the archive cache has no record of any archive in vault 'unknown' (none uploaded or " +
        "deleted from here, none seen in an inventory): 'glacier vault sync unknown' records what the vault " +
        "holds\n",
    });
  });

  it("an upload killed half-way says on the next run that it resumed and how much Glacier already held", async () => {
    const world = await cliWorld();
    const content = Buffer.alloc(4 * MiB, 3);
    await writeFile(join(world.dir, "disk.img"), content);
    expect((await world.glacier(["vault", "create", "v"])).exitCode).toBe(0);
    // The third part is held back long enough to kill the upload after two parts were stored.
    world.emulator.control.setFaults("latency,op=UploadMultipartPart,nth=3,ms=60000");
    const child = execa(
      process.execPath,
      [BIN.glacier, "archive", "upload", "--part-size", String(MiB), "--concurrency", "1", "v", "disk.img"],
      {
        cwd: world.dir,
        env: world.env,
        extendEnv: false,
        reject: false,
      },
    );
    const stored = () =>
      world.emulator.control.requestLog().filter((r) => r.operation === "UploadMultipartPart" && r.status === 204)
        .length;
    while (stored() < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill("SIGKILL");
    await child;
    world.emulator.control.setFaults([]);
    const resumed = await world.glacier(["archive", "upload", "--part-size", String(MiB), "v", "disk.img"]);
    expect(resumed).toEqual({
      exitCode: 0,
      stdout: "",
      stderr:
        "glacier: info: resumed the interrupted upload of 'disk.img': 2 of 4 parts (2097152 bytes (2.0 MiB) " +
        "of 4194304 bytes (4.0 MiB)) already stored in Glacier; sending the other 2\n",
    });
    expect(
      world.emulator.control.requestLog().filter((r) => r.operation === "UploadMultipartPart" && r.status === 204),
    ).toHaveLength(4);
    expect(await world.glacier(["archive", "list", "v"])).toEqual({ exitCode: 0, stdout: "disk.img\n", stderr: "" });
  });
});
