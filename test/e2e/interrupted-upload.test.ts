// An upload killed between Glacier storing the archive and the cache recording it:
// the emulator's "reset-after" fault stores each UploadArchive and then resets the connection, so
// the CLI never hears back, exactly as when it is killed in that window. The open single-upload
// intent lets `vault sync` find those archives in the inventory: duplicates of a re-upload are
// deleted, else one is adopted as the file's archive.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld, type CliWorld } from "../helpers/cli-env.ts";

async function tree(world: CliWorld): Promise<string> {
  const root = join(world.dir, "tree");
  await mkdir(root);
  await writeFile(join(root, "a.band"), "band a bytes");
  await writeFile(join(root, "b.band"), "band b bytes, longer");
  return root;
}

/** Live archives in the emulator as "name" -> ids. */
async function vaultNames(world: CliWorld): Promise<Map<string, string[]>> {
  const state = await world.emulator.control.dumpState();
  const byName = new Map<string, string[]>();
  for (const a of Object.values(state.vaults["v"]?.archives ?? {}))
    byName.set(a.description, [...(byName.get(a.description) ?? []), a.id]);
  return byName;
}

async function cachedIds(world: CliWorld): Promise<Map<string, string[]>> {
  const listed = await world.glacier(["archive", "list", "--json", "v"]);
  const byName = new Map<string, string[]>();
  for (const line of listed.stdout.split("\n").filter((l) => l !== "")) {
    const { name, id } = JSON.parse(line) as { name: string; id: string };
    byName.set(name, [...(byName.get(name) ?? []), id]);
  }
  return byName;
}

/** Runs a multi-upload whose every UploadArchive is stored but never answered. */
async function unansweredUpload(world: CliWorld, root: string): Promise<void> {
  await world.glacier(["vault", "create", "v"]);
  world.emulator.control.setFaults("reset-after,op=UploadArchive");
  const failed = await world.glacier(["archive", "multi-upload", "v", root]);
  world.emulator.control.setFaults([]);
  expect(failed.exitCode).toBe(1);
  expect(await cachedIds(world)).toEqual(new Map());
  // Each attempt was stored: the vault holds every file, several times over.
  for (const name of ["a.band", "b.band"]) expect((await vaultNames(world)).get(name)!.length).toBeGreaterThan(1);
}

function infoLines(stderr: string, pattern: RegExp): string[] {
  return stderr.split("\n").filter((line) => pattern.test(line));
}

describe("an upload that stored the archive but never heard back", () => {
  it(
    "is uploaded again by --resume, and vault sync deletes every copy it left: each file once in the vault and " +
      "the cache",
    async () => {
      const world = await cliWorld();
      const root = await tree(world);
      await unansweredUpload(world, root);
      const orphans = await vaultNames(world);
      const resumed = await world.glacier(["archive", "multi-upload", "--resume", "v", root]);
      expect(resumed.exitCode).toBe(0);
      await world.emulator.control.generateInventory("v");
      const synced = await world.glacier(["vault", "sync", "--wait", "v"]);
      expect(synced.exitCode).toBe(0);
      const expected = [...orphans]
        .flatMap(([name, ids]) =>
          ids.map((id) => `glacier: info: deleted duplicate left by an interrupted upload: ${name} (${id})`),
        )
        .sort();
      expect(infoLines(synced.stderr, /duplicate/).sort()).toEqual(expected);
      expect(synced.stderr.split("\n").filter((l) => l !== "" && !/duplicate/.test(l))).toEqual([]);
      const vault = await vaultNames(world);
      expect([...vault.keys()].sort()).toEqual(["a.band", "b.band"]);
      for (const ids of vault.values()) expect(ids).toHaveLength(1);
      expect(await cachedIds(world)).toEqual(vault);
      // The intents are closed: a second sync of a fresh inventory has nothing to say.
      await world.emulator.control.advanceClock(3600);
      await world.emulator.control.generateInventory("v");
      const again = await world.glacier(["vault", "sync", "--wait", "--max-age", "0", "v"]);
      expect(again.exitCode).toBe(0);
      expect(again.stderr).not.toMatch(/interrupted|added|disappeared/);
    },
  );

  it(
    "without a re-upload, vault sync adopts one copy as the file's archive and deletes the others; --resume " +
      "then sends nothing",
    async () => {
      const world = await cliWorld();
      const root = await tree(world);
      await unansweredUpload(world, root);
      await world.emulator.control.generateInventory("v");
      const synced = await world.glacier(["vault", "sync", "--wait", "v"]);
      expect(synced.exitCode).toBe(0);
      const adopted = infoLines(synced.stderr, /recorded archive left by an interrupted upload/);
      expect(adopted.map((l) => l.replace(/ \(.*\)$/, "")).sort()).toEqual([
        "glacier: info: recorded archive left by an interrupted upload: a.band",
        "glacier: info: recorded archive left by an interrupted upload: b.band",
      ]);
      const vault = await vaultNames(world);
      for (const ids of vault.values()) expect(ids).toHaveLength(1);
      expect(await cachedIds(world)).toEqual(vault);
      const before = world.emulator.control.requestLog().length;
      const resumed = await world.glacier(["archive", "multi-upload", "--resume", "v", root]);
      expect(resumed.exitCode).toBe(0);
      expect(
        world.emulator.control
          .requestLog()
          .slice(before)
          .filter((r) => r.operation === "UploadArchive"),
      ).toEqual([]);
    },
  );

  it("stored by a first attempt whose retry in the same run succeeded: vault sync deletes that copy", async () => {
    const world = await cliWorld();
    const root = await tree(world);
    await world.glacier(["vault", "create", "v"]);
    // Only the first UploadArchive is stored and then reset; the retry is answered.
    world.emulator.control.setFaults("reset-after,op=UploadArchive,nth=1");
    const uploaded = await world.glacier(["archive", "upload", "v", join(root, "a.band")]);
    world.emulator.control.setFaults([]);
    expect(uploaded.exitCode).toBe(0);
    const recorded = (await cachedIds(world)).get("a.band")!;
    expect(recorded).toHaveLength(1);
    const stored = (await vaultNames(world)).get("a.band")!;
    expect(stored).toHaveLength(2);
    const copy = stored.find((id) => id !== recorded[0])!;
    await world.emulator.control.generateInventory("v");
    const synced = await world.glacier(["vault", "sync", "--wait", "v"]);
    expect(synced.exitCode).toBe(0);
    expect(synced.stderr).toBe(`glacier: info: deleted duplicate left by an interrupted upload: a.band (${copy})\n`);
    expect((await vaultNames(world)).get("a.band")).toEqual(recorded);
    expect(await cachedIds(world)).toEqual(new Map([["a.band", recorded]]));
  });
});
