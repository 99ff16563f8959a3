// Deleting from s3:// addresses on a machine whose cache never saw the upload: where presence is
// authoritative (docs/backends.md#capabilities) a name the cache does not know is asked of the bucket
// (HeadObject), so `archive delete` and `multi-delete` find what another machine uploaded, and a
// name the bucket does not hold is still "not found" with the same exit code.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld, type CliWorld } from "../helpers/cli-env.ts";

async function s3World(): Promise<CliWorld> {
  const world = await cliWorld();
  world.env.AWS_ENDPOINT_URL_S3 = world.emulator.url;
  return world;
}

/** The keys of the bucket's current objects, from the emulator's state. */
async function keys(w: CliWorld, bucket: string): Promise<string[]> {
  const listed = await w.emulator.control.dumpState();
  const s3 = (listed as { s3?: { buckets: Record<string, { objects: Record<string, unknown> }> } }).s3;
  return Object.keys(s3?.buckets[bucket]?.objects ?? {}).sort();
}

describe("deletes on s3:// addresses from another machine", () => {
  it("archive delete and multi-delete find objects another cache uploaded; absent names stay not found", async () => {
    const w = await s3World();
    const root = join(w.dir, "tree");
    await mkdir(root);
    for (const name of ["a.txt", "b.txt", "c.txt", "d.txt"]) await writeFile(join(root, name), `${name}\n`);
    expect((await w.glacier(["vault", "create", "s3://shared"])).exitCode).toBe(0);
    expect((await w.glacier(["archive", "multi-upload", "s3://shared/host", root])).exitCode).toBe(0);
    const before = await keys(w, "shared");
    expect(before.filter((k) => !k.startsWith("host/.glacier-manifest/"))).toEqual([
      "host/a.txt",
      "host/b.txt",
      "host/c.txt",
      "host/d.txt",
    ]);

    // Another machine: its own, empty cache folder.
    const other = { env: { XDG_CACHE_HOME: join(w.dir, "other-cache") } };
    expect(await w.glacier(["archive", "delete", "s3://shared/host", "a.txt"], other)).toEqual({
      exitCode: 0,
      stdout: "",
      stderr: "",
    });
    const absent = await w.glacier(["archive", "delete", "s3://shared/host", "nope.txt"], other);
    expect(absent).toEqual({ exitCode: 1, stdout: "", stderr: "glacier: archive 'nope.txt' not found\n" });

    const multi = await w.glacier(["archive", "multi-delete", "s3://shared/host", "b.txt", "c.txt", "gone"], other);
    expect(multi).toEqual({
      exitCode: 1,
      stdout: "",
      stderr:
        "glacier: info: Deleting archive b.txt\nglacier: info: Deleting archive c.txt\n" +
        "glacier: info: 2 archives deleted\nglacier: archive 'gone' not found\n",
    });
    expect((await keys(w, "shared")).filter((k) => !k.startsWith("host/.glacier-manifest/"))).toEqual(["host/d.txt"]);
    // The deleted object is gone for the machine that uploaded it too; a second delete says so.
    const again = await w.glacier(["archive", "delete", "s3://shared/host", "a.txt"], other);
    expect(again).toEqual({ exitCode: 1, stdout: "", stderr: "glacier: archive 'a.txt' not found\n" });
  });
});
