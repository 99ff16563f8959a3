// A git-annex repository whose content is in a vault through git-annex's built-in type=glacier remote
// (with fileprefix=) comes along to S3 (docs/migrate.md#git-annex-repositories): `vault migrate
// --annex-layout` puts each archive at PREFIX + key, `glacier annex-migrate` records the keys in our
// S3 remote after HeadObject, and a fresh clone lists the S3 remote and gets the bytes through one
// DEEP_ARCHIVE restore, on the emulator's virtual clock.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { annexWorld, expectOk, type AnnexWorld } from "./annex-world.ts";

const HOUR = 3600;
const FILES: Record<string, string> = {
  "photo.jpg": "not really a photo\n",
  "notes.txt": "migrated notes\n",
};
const LATE = { "late.bin": "stored after the first migration\n" };

/** Copies the vault to S3 (development stand-in, replaced by vault migrate --commit). */
async function copyToS3(world: AnnexWorld, repo: string, env: Record<string, string>): Promise<void> {
  const lines = (await world.run("git", ["annex", "find", "--format=${key} ${file}\\n"], { cwd: repo })).stdout;
  for (const line of lines.split("\n").filter(Boolean)) {
    const [key, file] = line.split(" ") as [string, string];
    await expectOk(
      world.run("glacier", ["archive", "upload", "--name", key, "s3://annex-bucket/moved", file], { cwd: repo, env }),
    );
  }
}

async function migrateVault(world: AnnexWorld, cwd: string, s3: Record<string, string>, extra: string[] = []) {
  const args = ["vault", "migrate", "annex-vault", "s3://annex-bucket/moved", "--annex-layout", "--fileprefix=repo/"];
  // The first run starts the inventory job (exit 75); the emulator finishes it at once.
  const first = await world.run("glacier", [...args, ...extra], { cwd, env: s3 });
  if (first.exitCode === 75) return world.run("glacier", [...args, ...extra], { cwd, env: s3 });
  return first;
}

describe("glacier annex-migrate", () => {
  it("moves a type=glacier vault's keys to an S3 remote that a fresh clone lists and gets from", async () => {
    const world = await annexWorld({ inventoryLag: "live" });
    const s3 = { AWS_ENDPOINT_URL_S3: world.emulator.url };
    const repo = await world.repo("repo");
    const annex = (args: string[], env: Record<string, string> = {}) =>
      world.run("git", ["annex", ...args], { cwd: repo, env: { ...s3, ...env } });
    await expectOk(
      annex(["initremote", "vault", "type=glacier", "encryption=none", "vault=annex-vault", "fileprefix=repo/"]),
    );
    for (const [name, content] of Object.entries(FILES)) await writeFile(join(repo, name), content);
    await expectOk(annex(["add", "-q", "."]));
    await expectOk(world.run("git", ["commit", "-qm", "files"], { cwd: repo }));
    await expectOk(annex(["copy", "-q", "--to", "vault", "."]));
    const findKeys = async () =>
      (await expectOk(annex(["find", "--format=${key}\\n"]))).stdout.split("\n").filter(Boolean).sort();
    const keys = await findKeys();
    expect(keys).toHaveLength(2);
    // An archive that is no key of the repository, in the same vault.
    await writeFile(join(world.root, "other"), "someone else's archive\n");
    await expectOk(
      world.run("glacier", ["archive", "upload", "--name", "tax/2019.pdf", "annex-vault", join(world.root, "other")], {
        cwd: repo,
      }),
    );

    const plan = await expectOk(migrateVault(world, repo, s3));
    const planned = plan.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split("\t"));
    expect(
      planned
        .filter((f) => f[3] === "name")
        .map((f) => f[0])
        .sort(),
    ).toEqual(keys.map((k) => `moved/${k}`));
    expect(planned.filter((f) => f[3] === "by-id")).toHaveLength(1);
    expect(plan.stderr).toMatch(/git-annex layout: 2 archives named "repo\/" \+ key go to moved\/KEY; 1 others/);

    await expectOk(
      annex([
        "initremote",
        "s3",
        "type=external",
        "externaltype=glacier",
        "encryption=none",
        "bucket=annex-bucket",
        "prefix=moved",
        `endpoint=${world.emulator.url}`,
      ]),
    );
    await copyToS3(world, repo, s3);
    // A file stored in the vault after the migration: reported, not recorded, exit 1; the others are recorded.
    for (const [name, content] of Object.entries(LATE)) await writeFile(join(repo, name), content);
    await expectOk(annex(["add", "-q", "late.bin"]));
    await expectOk(world.run("git", ["commit", "-qm", "late"], { cwd: repo }));
    await expectOk(annex(["copy", "--to", "vault", "late.bin"]));
    const late = (await findKeys()).find((k) => !keys.includes(k))!;
    const partial = await world.run("glacier", ["annex-migrate", "--from", "vault", "--to", "s3"], {
      cwd: repo,
      env: s3,
    });
    expect(partial.stderr).toContain(`glacier: warning: ${late}: s3://annex-bucket/moved/${late} is missing`);
    expect(partial.stderr).toMatch(/recorded 2 keys in s3 \(s3:\/\/annex-bucket\/moved\); 0 already recorded; 1 not/);
    expect(partial.stderr).toMatch(/glacier: 1 of 3 keys are not in s3:\/\/annex-bucket\/moved as expected$/m);
    expect(partial.exitCode).toBe(1);
    expect(partial.stdout.split("\n").filter(Boolean)).toEqual(keys.filter((k) => k !== late));

    await copyToS3(world, repo, s3);
    const again = await expectOk(
      world.run("glacier", ["annex-migrate", "--from", "vault", "--to", "s3"], { cwd: repo, env: s3 }),
    );
    expect(again.stdout).toBe(late);
    expect(again.stderr).toMatch(/recorded 1 keys in s3 .*; 2 already recorded; 0 not found/);
    const idle = await expectOk(
      world.run("glacier", ["annex-migrate", "--from", "vault", "--to", "s3"], { cwd: repo, env: s3 }),
    );
    expect(idle.stdout).toBe("");
    expect(idle.stderr).toMatch(/recorded 0 keys .*; 3 already recorded/);

    // A fresh clone on another machine: only the S3 remote is reachable.
    const clone = join(world.root, "clone");
    const elsewhere = { GLACIER_CACHE_DIR: join(world.root, "clone-cache") };
    await expectOk(world.run("git", ["clone", "-q", repo, clone], { cwd: world.root }));
    const inClone = (args: string[]) => world.run("git", ["annex", ...args], { cwd: clone, env: elsewhere });
    await expectOk(inClone(["init", "-q", "clone"]));
    await expectOk(inClone(["enableremote", "s3"]));
    await expectOk(world.run("git", ["remote", "remove", "origin"], { cwd: clone }));
    const whereis = await expectOk(inClone(["whereis", "notes.txt"]));
    expect(whereis.stdout).toMatch(/\[s3\]/);
    const pending = await inClone(["get", "--from", "s3", "."]);
    expect(pending.exitCode).toBe(1);
    expect(pending.all.match(/^ {2}Standard restore requested now/gm)?.length).toBeGreaterThanOrEqual(3);
    await world.emulator.control.advanceClock(13 * HOUR);
    await expectOk(inClone(["get", "--from", "s3", "."]));
    for (const [name, content] of Object.entries({ ...FILES, ...LATE }))
      expect(await readFile(join(clone, name), "utf8")).toBe(content);
  }, 240_000);

  it("refuses an encrypted vault remote whose S3 remote is not --sameas it, in one line, exit 1", async () => {
    const world = await annexWorld();
    const repo = await world.repo("enc");
    const annex = (args: string[]) => world.run("git", ["annex", ...args], { cwd: repo });
    await expectOk(annex(["initremote", "vault", "type=glacier", "encryption=shared", "vault=enc-vault"]));
    await expectOk(
      annex([
        "initremote",
        "s3",
        "type=external",
        "externaltype=glacier",
        "encryption=none",
        "bucket=enc-bucket",
        `endpoint=${world.emulator.url}`,
      ]),
    );
    const refused = await world.run("glacier", ["annex-migrate", "--from", "vault", "--to", "s3"], { cwd: repo });
    expect(refused.stderr).toBe(
      "glacier: --from vault uses encryption=shared: its objects are ciphertext only a remote sharing its cipher " +
        "reads; make s3 with git annex initremote s3 --sameas=vault ...",
    );
    expect(refused.exitCode).toBe(1);
  }, 60_000);
});
