// `glacier vault migrate` without --commit: the plan of a vault holding archives named by us, by
// mt-aws-glacier and FastGlacier, by another client's plain description, with no name, with a name
// that is no usable key, and a name uploaded twice; driven through the built binary against the
// emulator, with the inventory job pending first (exit 75) and then done (exit 0 and the plan).
import { UploadArchiveCommand } from "@aws-sdk/client-glacier";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld, sdkClient, type CliWorld } from "../helpers/cli-env.ts";

const HOUR = 3600;

/** Uploads with a description of our choosing, as another tool would. */
async function foreignUpload(world: CliWorld, description: string, body: string): Promise<string> {
  const client = sdkClient(world);
  const result = await client.send(
    new UploadArchiveCommand({ accountId: "-", vaultName: "v", archiveDescription: description, body }),
  );
  return result.archiveId!;
}

async function seedVault(world: CliWorld): Promise<Record<string, string>> {
  await world.glacier(["vault", "create", "v"]);
  const files: [string, string][] = [
    ["report.pdf", "pdf bytes"],
    ["dup-old", "first version"],
    ["dup-new", "second version!"],
  ];
  for (const [file, body] of files) await writeFile(join(world.dir, file), body);
  expect((await world.glacier(["archive", "upload", "v", "report.pdf"])).exitCode).toBe(0);
  expect((await world.glacier(["archive", "upload", "--name", "Photos/été.jpg", "v", "report.pdf"])).exitCode).toBe(0);
  const dupIds = async () => {
    const listed = (await world.glacier(["archive", "list", "--force-ids", "v"])).stdout;
    return [...listed.matchAll(/^id:(\S+)\tdup\.txt$/gm)].map((m) => m[1]);
  };
  expect((await world.glacier(["archive", "upload", "--name", "dup.txt", "v", "dup-old"])).exitCode).toBe(0);
  const [dupOld] = await dupIds();
  await world.emulator.control.advanceClock(HOUR);
  expect((await world.glacier(["archive", "upload", "--name", "dup.txt", "v", "dup-new"])).exitCode).toBe(0);
  const dupNew = (await dupIds()).find((id) => id !== dupOld);
  const mt2Meta = JSON.stringify({ mtime: "20121225T100000Z", filename: "dir/файл.txt" });
  const mt2 = `mt2 ${Buffer.from(mt2Meta).toString("base64url")}`;
  const fast = `<m><v>2</v><p>${Buffer.from("fast/glacier.bin").toString("base64")}</p><lm>20200101T000000Z</lm></m>`;
  const ids = {
    mt2: await foreignUpload(world, mt2, "from mt-aws-glacier"),
    fast: await foreignUpload(world, fast, "from FastGlacier"),
    plain: await foreignUpload(world, "notes from 2019", "plain"),
    unnamed: await foreignUpload(world, "", "no description"),
    unusable: await foreignUpload(world, "../escape", "dot dot"),
  };
  return { ...ids, dupOld: dupOld!, dupNew: dupNew! };
}

describe("glacier vault migrate (the plan)", () => {
  it("exits 75 while the inventory is prepared, then prints each key and the totals, spending nothing", async () => {
    const world = await cliWorld();
    const ids = await seedVault(world);
    await world.emulator.control.generateInventory("v");

    expect(await world.glacier(["vault", "migrate", "v", "s3://archive-bucket/pre"])).toEqual({
      exitCode: 75,
      stdout: "",
      stderr: "glacier: queued inventory job for 'v'\n",
    });
    world.emulator.control.clearRequestLog();
    const result = await world.glacier(["vault", "migrate", "v", "s3://archive-bucket/pre"]);
    expect(result.exitCode).toBe(0);
    const rows = result.stdout
      .trimEnd()
      .split("\n")
      .map((line) => line.split("\t"));
    // Sorted by key; each archive once, at the key its name calls for.
    const keys = rows.map(([key]) => key ?? "");
    expect(keys).toEqual([...keys].sort());
    const byId = new Map(rows.map(([key, size, id, placement]) => [id, [key, size, placement]]));
    expect(rows).toHaveLength(9);
    expect(byId.size).toBe(9);
    expect(byId.get(ids.unnamed)).toEqual([`pre/by-id/${ids.unnamed}`, "14", "by-id"]);
    expect(byId.get(ids.unusable)).toEqual([`pre/by-id/${ids.unusable}`, "7", "by-id"]);
    expect(byId.get(ids.mt2)).toEqual(["pre/dir/файл.txt", "19", "name"]);
    expect(byId.get(ids.fast)).toEqual(["pre/fast/glacier.bin", "16", "name"]);
    expect(byId.get(ids.plain)).toEqual(["pre/notes from 2019", "5", "name"]);
    expect(byId.get(ids.dupNew)).toEqual(["pre/dup.txt", "15", "name"]);
    expect(byId.get(ids.dupOld)).toEqual([
      expect.stringMatching(/^pre\/dup\.txt~\d{8}T\d{6}Z~[0-9a-f]{12}$/),
      "13",
      "older",
    ]);
    expect(keys).toEqual(expect.arrayContaining(["pre/Photos/été.jpg", "pre/report.pdf"]));
    const info = result.stderr.split("\n").filter((l) => l.startsWith("glacier: info: "));
    expect(info.slice(0, 2)).toEqual([
      "glacier: info: Migration plan: vault 'v' to s3://archive-bucket/pre/ (DEEP_ARCHIVE)",
      "glacier: info:   archives: 9 archives, 107 bytes; " +
        "6 at their name, 1 older version of a name with a suffix, 2 by id",
    ]);
    expect(info).toContain("glacier: info:   retrieval: Bulk, 9 jobs, $0.0002");
    expect(info).toContain("glacier: info:   requests: 18 S3 requests (uploads and a HeadObject each), $0.0005");
    expect(info).toContain(
      "glacier: info:   early deletion if the vault's archives were deleted: 9 archives younger than 90 days, <$0.0001",
    );
    expect(info).toContain("glacier: info:   duration: about 12 hours at up to 1000 jobs at a time (Bulk)");
    // The plan asks Glacier only for the inventory: no retrieval job is started.
    const operations = world.emulator.control.requestLog().map((r) => r.operation);
    expect(operations).not.toContain("InitiateJob");
  });

  it("prints a shard's part of the plan as NDJSON with the totals last", async () => {
    const world = await cliWorld();
    const ids = await seedVault(world);
    await world.emulator.control.generateInventory("v");
    await world.glacier(["vault", "sync", "v"]);
    const keysOf = async (shard: string) => {
      const run = await world.glacier(["vault", "migrate", "--json", "--shard", shard, "v", "s3://archive-bucket"]);
      expect(run.exitCode).toBe(0);
      const lines = run.stdout
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const totals = lines.pop()!.totals as Record<string, unknown>;
      expect(totals).toMatchObject({ vaultArchives: 9, shard, archives: lines.length });
      return lines;
    };
    const parts = [await keysOf("1/2"), await keysOf("2/2")];
    const all = parts.flat().map((o) => [o.archiveId, o.key]);
    expect(all).toHaveLength(9);
    expect(new Set(all.map(([id]) => id)).size).toBe(9);
    expect(all).toContainEqual([ids.mt2, "dir/файл.txt"]);
    expect(all).toContainEqual([ids.unnamed, `by-id/${ids.unnamed}`]);
  });

  it("refuses a target that is not an S3 address, and a bad shard, with exit 2 and the usage hint", async () => {
    const world = await cliWorld();
    expect(await world.glacier(["vault", "migrate", "v", "bucket/prefix"])).toEqual({
      exitCode: 2,
      stdout: "",
      stderr:
        'glacier: invalid S3 address "bucket/prefix": expected s3://BUCKET[/PREFIX] with a bucket name of 3 to 63 ' +
        "characters of a-z, 0-9, '.' and '-'\n" +
        "glacier: try 'glacier vault migrate --help'\n",
    });
    expect(await world.glacier(["vault", "migrate", "--shard", "3/2", "v", "s3://bucket"])).toEqual({
      exitCode: 2,
      stdout: "",
      stderr:
        'glacier: --shard must be I/N with 1 <= I <= N, such as 1/4 (got "3/2")\n' +
        "glacier: try 'glacier vault migrate --help'\n",
    });
  });
});
