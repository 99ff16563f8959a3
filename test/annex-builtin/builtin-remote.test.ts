// git-annex's built-in `type=glacier` remote runs `glacier` from PATH
// (docs/annex-protocol.md#built-in-glacier-remote, docs/annex-protocol.md#built-in-glacier-remote). Our CLI must be a
// drop-in: real git-annex, our glacier first on PATH, the endpoint given through the environment.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { annexRepo, type AnnexRepo } from "../helpers/annex-repo.ts";
import { cliWorld, type CliWorld } from "../helpers/cli-env.ts";

const HOUR = 3600;

async function setup(remoteArgs: string[]): Promise<{ world: CliWorld; repo: AnnexRepo; vault: string }> {
  const world = await cliWorld({ jobDelays: { Standard: 4 * HOUR } });
  const repo = await annexRepo(world.dir, "repo", world.env);
  const init = await repo.annex(["initremote", "glacier", "type=glacier", ...remoteArgs]);
  expect(init.stderr).toBe("");
  expect(init.exitCode).toBe(0);
  const info = await repo.annex(["info", "glacier"]);
  const vault = /glacier vault: (\S+)/.exec(info.stdout)![1]!;
  return { world, repo, vault };
}

async function addFile(repo: AnnexRepo, name: string, content: string): Promise<void> {
  await writeFile(join(repo.dir, name), content);
  expect((await repo.annex(["add", "-q", name])).exitCode).toBe(0);
  await repo.run("git", ["commit", "-qm", `add ${name}`]);
}

const archives = async (world: CliWorld, vault: string) =>
  (await world.glacier(["archive", "list", vault])).stdout.split("\n").filter(Boolean);

describe("git-annex type=glacier driving our glacier", () => {
  it(
    "creates the vault, copies without duplicates, fails " + "get while the job is pending, gets after, drops",
    async () => {
      const { world, repo, vault } = await setup(["encryption=none"]);
      expect((await world.glacier(["vault", "list"])).stdout).toBe(`${vault}\n`);
      await addFile(repo, "notes.txt", "hello glacier\n");

      expect((await repo.annex(["copy", "--to", "glacier", "notes.txt"])).exitCode).toBe(0);
      const stored = await archives(world, vault);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatch(/^SHA256E-s14--[0-9a-f]{64}\.txt$/);
      await repo.annex(["copy", "--to", "glacier", "notes.txt"]);
      expect(await archives(world, vault)).toEqual(stored);

      expect((await repo.annex(["drop", "--force", "notes.txt"])).exitCode).toBe(0);
      const pending = await repo.annex(["get", "notes.txt"]);
      expect(pending.exitCode).toBe(1);
      expect(pending.stderr).toContain(`glacier: queued retrieval job for archive '${stored[0]}'`);
      expect(pending.stderr).toContain("exited 75");
      const still = await repo.annex(["get", "notes.txt"]);
      expect(still.stderr).toContain(`glacier: job still pending for archive '${stored[0]}'`);

      await world.emulator.control.advanceClock(5 * HOUR);
      const got = await repo.annex(["get", "notes.txt"]);
      expect(got.exitCode).toBe(0);
      expect(await readFile(join(repo.dir, "notes.txt"), "utf8")).toBe("hello glacier\n");

      expect((await repo.annex(["drop", "--from", "glacier", "notes.txt"])).exitCode).toBe(0);
      expect(await archives(world, vault)).toEqual([]);
      const fsck = await repo.annex(["fsck", "--from", "glacier", "--fast", "notes.txt"]);
      expect(fsck.exitCode).toBe(0);
    },
  );

  // git-annex asks `glacier archive checkpresent` for fileprefix + key and looks for the bare key
  // among the lines printed: a prefix may end in anything a user types.
  it.each(["backup/", "repo_", "pfx-", "Backup", "repo2"])(
    "recognises a copy stored with fileprefix=%s, so a second copy uploads nothing",
    async (prefix) => {
      const { world, repo, vault } = await setup(["encryption=none", `fileprefix=${prefix}`]);
      await addFile(repo, "a.bin", "prefixed content\n");
      expect((await repo.annex(["copy", "--to", "glacier", "a.bin"])).exitCode).toBe(0);
      const stored = await archives(world, vault);
      expect(stored).toHaveLength(1);
      expect(stored[0]!.startsWith(`${prefix}SHA256E-s17--`)).toBe(true);
      // Forget the location log entry so git-annex must ask glacier checkpresent.
      const uuid = (await repo.annex(["info", "glacier"])).stdout.match(/uuid: (\S+)/)![1]!;
      expect((await repo.annex(["setpresentkey", stored[0]!.slice(prefix.length), uuid, "0"])).exitCode).toBe(0);
      expect((await repo.annex(["whereis", "a.bin"])).stdout).not.toContain("glacier");
      // The built-in remote never counts a listed archive as proof (its answer is "maybe"), so the
      // copy stops there: the point is that it does not upload a duplicate.
      const again = await repo.annex(["copy", "--to", "glacier", "a.bin"]);
      expect(again.stdout).toContain("Glacier's inventory says it has a copy");
      expect(await archives(world, vault)).toEqual(stored);
    },
    60_000,
  );

  it("stores and retrieves with encryption=shared", async () => {
    const { world, repo, vault } = await setup(["encryption=shared"]);
    await addFile(repo, "secret.txt", "top secret\n");
    expect((await repo.annex(["copy", "--to", "glacier", "secret.txt"])).exitCode).toBe(0);
    const stored = await archives(world, vault);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^GPGHMACSHA1--[0-9a-f]{40}$/);
    await repo.annex(["drop", "--force", "secret.txt"]);
    expect((await repo.annex(["get", "secret.txt"])).exitCode).toBe(1);
    await world.emulator.control.advanceClock(5 * HOUR);
    expect((await repo.annex(["get", "secret.txt"])).exitCode).toBe(0);
    expect(await readFile(join(repo.dir, "secret.txt"), "utf8")).toBe("top secret\n");
  });
});
