// A git-annex user's day with Glacier jobs that take 4 hours (Standard): copy --to, drop, get fails
// with the pending message until the job is done, get --failed then succeeds; drop --from; fsck
// --from --fast; and a second clone, with an empty archive cache of its own, that finds the first
// clone's archives through the git-annex branch alone (no inventory is ever requested).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { annexWorld, expectOk, type AnnexWorld } from "./annex-world.ts";

const HOUR = 3600;
/** What git-annex prints for a key whose retrieval job is still running. */
const NOT_AVAILABLE_YET =
  /Glacier retrieval job \S+ \(Standard\) initiated \d{4}-\d\d-\d\d \d\d:\d\d UTC; /.source +
  /not available yet, expected by .* UTC/.source;
const FILES = { "notes.txt": "meeting notes\n", "photo one.jpg": "not really a jpeg\n", "old.log": "log lines\n" };

async function storedRepo(world: AnnexWorld): Promise<string> {
  const repo = await world.repo("first");
  for (const [name, content] of Object.entries(FILES)) await writeFile(join(repo, name), content);
  await expectOk(world.run("git", ["annex", "add", "-q", "."], { cwd: repo }));
  await expectOk(world.run("git", ["commit", "-qm", "files"], { cwd: repo }));
  await expectOk(
    world.run(
      "git",
      [
        "annex",
        "initremote",
        "glacier",
        "type=external",
        "externaltype=glacier",
        "encryption=none",
        "vault=annex-workflow",
      ],
      { cwd: repo },
    ),
  );
  return repo;
}

async function jobCount(world: AnnexWorld, action: string): Promise<number> {
  const state = await world.emulator.control.dumpState();
  return Object.values(state.jobs).filter((job) => job.action === action).length;
}

describe("git-annex with git-annex-remote-glacier and 4-hour retrieval jobs", () => {
  it(
    "copies, fails get with the job's pending message, and " + "gets the content with --failed once the job is done",
    async () => {
      const world = await annexWorld({ jobDelays: { Expedited: 180, Standard: 4 * HOUR, Bulk: 8 * HOUR } });
      const repo = await storedRepo(world);
      const copy = await expectOk(world.run("git", ["annex", "copy", "--to", "glacier", "."], { cwd: repo }));
      expect(copy.stdout.match(/^copy /gm)).toHaveLength(3);
      expect(copy.stdout.match(/ok$/gm)).toHaveLength(3);
      // CHECKPRESENT answers SUCCESS for a recorded upload, so the local copy may be dropped.
      await expectOk(world.run("git", ["annex", "drop", "photo one.jpg"], { cwd: repo }));

      const first = await world.run("git", ["annex", "get", "photo one.jpg"], { cwd: repo });
      expect(first.exitCode).toBe(1);
      expect(first.stderr).toMatch(new RegExp(NOT_AVAILABLE_YET + /: run git annex get --failed then/.source));
      const again = await world.run("git", ["annex", "get", "photo one.jpg"], { cwd: repo });
      expect(again.exitCode).toBe(1);
      expect(again.stderr).toMatch(/Glacier retrieval job \S+ \(Standard\) in progress since/);
      expect(await jobCount(world, "ArchiveRetrieval")).toBe(1);
      await expect(readFile(join(repo, "photo one.jpg"), "utf8")).rejects.toThrow();

      await world.emulator.control.advanceClock(4 * HOUR + 60);
      const failed = await expectOk(world.run("git", ["annex", "get", "--failed"], { cwd: repo }));
      expect(failed.stdout).toMatch(/^get photo one\.jpg \(from glacier\.\.\.\)/m);
      expect(failed.stdout).toMatch(/ok$/m);
      expect(await readFile(join(repo, "photo one.jpg"), "utf8")).toBe(FILES["photo one.jpg"]);
      expect(await jobCount(world, "ArchiveRetrieval")).toBe(1);
    },
    120_000,
  );

  it("drops from the remote, and fsck --from --fast agrees with the location log", async () => {
    const world = await annexWorld({ jobDelays: { Standard: 4 * HOUR } });
    const repo = await storedRepo(world);
    await expectOk(world.run("git", ["annex", "copy", "--to", "glacier", "."], { cwd: repo }));
    await expectOk(world.run("git", ["annex", "drop", "--from", "glacier", "old.log"], { cwd: repo }));
    const whereis = await expectOk(world.run("git", ["annex", "whereis", "old.log"], { cwd: repo }));
    expect(whereis.stdout).not.toMatch(/glacier/);
    const fsck = await expectOk(world.run("git", ["annex", "fsck", "--from", "glacier", "--fast"], { cwd: repo }));
    expect(fsck.stdout.match(/^fsck .* ok$/gm)).toHaveLength(3);
    const state = await world.emulator.control.dumpState();
    expect(Object.keys(state.vaults["annex-workflow"]!.archives)).toHaveLength(2);
  }, 120_000);

  it(
    "lets a second clone with an empty cache find, check and get the first clone's archives without an " + "inventory",
    async () => {
      const world = await annexWorld({ jobDelays: { Standard: 4 * HOUR } });
      const repo = await storedRepo(world);
      await expectOk(world.run("git", ["annex", "copy", "--to", "glacier", "."], { cwd: repo }));
      const clone = join(world.root, "second");
      // Another machine: its own archive cache, nothing in it.
      const elsewhere = { GLACIER_CACHE_DIR: join(world.root, "second-cache") };
      await expectOk(world.run("git", ["clone", "-q", repo, clone], { cwd: world.root, env: elsewhere }));
      await expectOk(world.run("git", ["annex", "init", "-q", "second"], { cwd: clone, env: elsewhere }));
      await expectOk(world.run("git", ["annex", "enableremote", "glacier"], { cwd: clone, env: elsewhere }));
      // The first clone is out of reach (the disaster-recovery case): only Glacier has the content.
      await expectOk(world.run("git", ["remote", "remove", "origin"], { cwd: clone }));

      const whereis = await expectOk(
        world.run("git", ["annex", "whereis", "notes.txt"], { cwd: clone, env: elsewhere }),
      );
      expect(whereis.stdout).toMatch(/glacier: archive \S+ in Glacier vault annex-workflow/);
      const fsck = await expectOk(
        world.run("git", ["annex", "fsck", "--from", "glacier", "--fast"], { cwd: clone, env: elsewhere }),
      );
      expect(fsck.stdout.match(/^fsck .* ok$/gm)).toHaveLength(3);
      const pending = await world.run("git", ["annex", "get", "notes.txt"], { cwd: clone, env: elsewhere });
      expect(pending.stderr).toMatch(/Glacier retrieval job \S+ \(Standard\) initiated/);
      await world.emulator.control.advanceClock(5 * HOUR);
      await expectOk(world.run("git", ["annex", "get", "--failed"], { cwd: clone, env: elsewhere }));
      expect(await readFile(join(clone, "notes.txt"), "utf8")).toBe(FILES["notes.txt"]);
      expect(await jobCount(world, "InventoryRetrieval")).toBe(0);
    },
    120_000,
  );

  it("shows the pending job and when it should be ready to git annex fsck --from, as get does", async () => {
    const world = await annexWorld({ jobDelays: { Standard: 4 * HOUR } });
    const repo = await storedRepo(world);
    await expectOk(world.run("git", ["annex", "copy", "--to", "glacier", "notes.txt"], { cwd: repo }));
    const fsck = await world.run("git", ["annex", "fsck", "--from", "glacier", "notes.txt"], { cwd: repo });
    expect(fsck.exitCode).toBe(1);
    expect(fsck.all).toMatch(new RegExp(NOT_AVAILABLE_YET));
    const again = await world.run("git", ["annex", "fsck", "--from", "glacier", "notes.txt"], { cwd: repo });
    expect(again.all).toMatch(/Glacier retrieval job \S+ \(Standard\) in progress since .* expected by .* UTC/);
    expect(await jobCount(world, "ArchiveRetrieval")).toBe(1);
    await expectOk(world.run("git", ["annex", "drop", "notes.txt"], { cwd: repo }));
    const get = await world.run("git", ["annex", "get", "notes.txt"], { cwd: repo });
    expect(get.all).toMatch(/Glacier retrieval job \S+ \(Standard\) in progress since .* expected by .* UTC/);
  }, 120_000);
});
