// Empty files through real git-annex: a `-s0` key needs no archive (Glacier cannot store an empty
// one), so copy --to, get, fsck --from and drop --from work on unencrypted and chunked remotes and
// leave the vault empty; with encryption the key hides its size and its content is not empty, so
// it is stored as an archive like any other.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { annexWorld, expectOk, type AnnexWorld } from "./annex-world.ts";

async function archiveCount(world: AnnexWorld, vault: string): Promise<number> {
  const state = await world.emulator.control.dumpState();
  return Object.keys(state.vaults[vault]?.archives ?? {}).length;
}

async function emptyFileRepo(world: AnnexWorld, settings: string[]): Promise<string> {
  const repo = await world.repo("repo");
  await writeFile(join(repo, "empty.txt"), "");
  await writeFile(join(repo, "full.txt"), "some content\n");
  await expectOk(world.run("git", ["annex", "add", "-q", "."], { cwd: repo }));
  await expectOk(world.run("git", ["commit", "-qm", "files"], { cwd: repo }));
  await expectOk(
    world.run(
      "git",
      ["annex", "initremote", "glacier", "type=external", "externaltype=glacier", "vault=empty", ...settings],
      { cwd: repo },
    ),
  );
  return repo;
}

describe("empty files through git-annex and git-annex-remote-glacier", () => {
  it.each([
    ["unencrypted", ["encryption=none"]],
    ["chunked", ["encryption=none", "chunk=1MiB"]],
  ])(
    "copies, checks, gets and drops an empty file on an %s remote without an archive",
    async (_kind, settings) => {
      const world = await annexWorld({ jobDelays: { Standard: 0 } });
      const repo = await emptyFileRepo(world, settings);
      const key = (await expectOk(world.run("git", ["annex", "lookupkey", "empty.txt"], { cwd: repo }))).stdout.trim();
      expect(key).toMatch(/^SHA256E-s0--/);
      const copy = await world.run("git", ["annex", "copy", "--to", "glacier", "empty.txt"], { cwd: repo });
      expect(copy.all).not.toContain("empty archive");
      expect(copy.exitCode).toBe(0);
      expect(await archiveCount(world, "empty")).toBe(0);
      expect(
        (await expectOk(world.run("git", ["annex", "fsck", "--from", "glacier", "empty.txt"], { cwd: repo }))).stdout,
      ).toMatch(/^fsck empty\.txt [\s\S]*\bok$/m);

      await expectOk(world.run("git", ["annex", "drop", "empty.txt"], { cwd: repo }));
      await expectOk(world.run("git", ["annex", "get", "empty.txt"], { cwd: repo }));
      expect(await readFile(join(repo, "empty.txt"), "utf8")).toBe("");

      await expectOk(world.run("git", ["annex", "drop", "--from", "glacier", "empty.txt"], { cwd: repo }));
      const whereis = await expectOk(world.run("git", ["annex", "whereis", "empty.txt"], { cwd: repo }));
      expect(whereis.stdout).not.toMatch(/glacier/);
      // The whole repository copies cleanly, and only the non-empty file takes an archive.
      await expectOk(world.run("git", ["annex", "copy", "--to", "glacier", "."], { cwd: repo }));
      expect(await archiveCount(world, "empty")).toBe(1);
    },
    120_000,
  );

  it("stores an empty file as an archive with encryption=shared, whose key hides the size", async () => {
    const world = await annexWorld({ jobDelays: { Standard: 0 } });
    const repo = await emptyFileRepo(world, ["encryption=shared"]);
    await expectOk(world.run("git", ["annex", "copy", "--to", "glacier", "empty.txt"], { cwd: repo }));
    expect(await archiveCount(world, "empty")).toBe(1);
    await expectOk(world.run("git", ["annex", "drop", "empty.txt"], { cwd: repo }));
    await expectOk(world.run("git", ["annex", "get", "empty.txt"], { cwd: repo }));
    expect(await readFile(join(repo, "empty.txt"), "utf8")).toBe("");
  }, 120_000);
});
