// A git-annex repository whose content is in a vault through git-annex's built-in type=glacier remote
// (with fileprefix=) comes along to S3 (docs/migrate.md#git-annex-repositories): `vault migrate
// --annex-layout --commit` copies each archive to PREFIX + key through Bulk jobs, run again on the
// emulator's virtual clock until done; `glacier annex-migrate` records the keys in our S3 remote after
// HeadObject, and a fresh clone lists the S3 remote and gets the bytes through one DEEP_ARCHIVE restore.
// Our own chunked remote on a vault comes along the same way, chunk keys and all.
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { annexWorld, expectOk, type AnnexWorld, type RunResult } from "./annex-world.ts";

const HOUR = 3600;
/** How long the emulator takes for a Bulk retrieval job, as Glacier does (5-12 hours). */
const BULK = 12 * HOUR;
const FILES: Record<string, string> = {
  "photo.jpg": "not really a photo\n",
  "notes.txt": "migrated notes\n",
};
/** Our external remote, unencrypted: the S3 remote every migration here goes to. */
const OURS = ["type=external", "externaltype=glacier", "encryption=none"];
const LATE = { "late.bin": "stored after the first migration\n" };

const MIGRATE = ["vault", "migrate", "annex-vault", "s3://annex-bucket/moved", "--annex-layout", "--fileprefix=repo/"];

async function migrateVault(world: AnnexWorld, cwd: string, s3: Record<string, string>) {
  // The first run starts the inventory job (exit 75); the emulator finishes it at once.
  const first = await world.run("glacier", MIGRATE, { cwd, env: s3 });
  if (first.exitCode === 75) return world.run("glacier", MIGRATE, { cwd, env: s3 });
  return first;
}

/**
 * `vault migrate --commit` run again, as from cron, until it exits 0 (every archive verified), with the
 * virtual clock moved past the Bulk jobs after each exit 75. Returns every run.
 */
async function commitMigration(world: AnnexWorld, cwd: string, env: Record<string, string>, migrate = MIGRATE) {
  const report = join(world.root, "migrate-report");
  const args = [...migrate, "--storage-class", "DEEP_ARCHIVE", "--commit", "--report", report];
  const runs: RunResult[] = [];
  for (;;) {
    const run = await world.run("glacier", args, { cwd, env });
    runs.push(run);
    if (run.exitCode !== 75 || runs.length > 4) return runs;
    await world.emulator.control.advanceClock(BULK + 60);
  }
}

/** A clone of `repo` on another machine (its own cache) that reaches only the S3 remote. */
async function freshClone(world: AnnexWorld, repo: string) {
  const clone = join(world.root, "clone");
  const elsewhere = { GLACIER_CACHE_DIR: join(world.root, "clone-cache") };
  await expectOk(world.run("git", ["clone", "-q", repo, clone], { cwd: world.root }));
  const inClone = (args: string[]) => world.run("git", ["annex", ...args], { cwd: clone, env: elsewhere });
  await expectOk(inClone(["init", "-q", "clone"]));
  await expectOk(inClone(["enableremote", "s3"]));
  await expectOk(world.run("git", ["remote", "remove", "origin"], { cwd: clone }));
  return { clone, inClone };
}

describe("glacier annex-migrate", () => {
  it("moves a type=glacier vault's keys to an S3 remote that a fresh clone lists and gets from", async () => {
    const world = await annexWorld({ inventoryLag: "live", jobDelays: { Bulk: BULK } });
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
      annex(["initremote", "s3", ...OURS, "bucket=annex-bucket", "prefix=moved", `endpoint=${world.emulator.url}`]),
    );
    // Bulk jobs for the 3 archives (exit 75), then, 12 hours later, the verified copies (exit 0).
    const copied = await commitMigration(world, repo, s3);
    expect(
      copied.map((r) => r.exitCode),
      copied.at(-1)!.all,
    ).toEqual([75, 0]);
    expect(copied[0]!.stderr).toMatch(/^glacier: 3 archives waiting for retrieval jobs \(Bulk\), .*0 of 3 migrated/);
    expect(copied[1]!.stderr).toContain(
      "migrated vault 'annex-vault' to s3://annex-bucket/moved/: 3 archives, 57 bytes (this run: 3 copied,",
    );
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

    // A later round migrates it. No `vault sync` is needed: git-annex uploaded it through our `glacier`
    // on this machine, so the cache knows it and --commit, planning from the cache and the ledger, does too.
    const later = await commitMigration(world, repo, s3);
    expect(
      later.map((r) => r.exitCode),
      later.at(-1)!.all,
    ).toEqual([75, 0]);
    expect(later[0]!.stderr).toMatch(/^glacier: 1 archive waiting for retrieval jobs \(Bulk\), .*3 of 4 migrated/);
    expect(later[1]!.stderr).toContain("4 archives, 90 bytes (this run: 1 copied, 0 found already there");
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
    const { clone, inClone } = await freshClone(world, repo);
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

  it("moves our chunked vault remote to our S3 remote of the same chunk=; a fresh clone gets the bytes", async () => {
    const world = await annexWorld({ inventoryLag: "live", jobDelays: { Bulk: BULK } });
    const s3 = { AWS_ENDPOINT_URL_S3: world.emulator.url };
    const repo = await world.repo("chunked");
    const annex = (args: string[]) => world.run("git", ["annex", ...args], { cwd: repo, env: s3 });
    const ours = [...OURS, "chunk=1MiB"];
    await expectOk(annex(["initremote", "vault", ...ours, "vault=chunk-vault"]));
    // 2.5 MiB: three chunks, each an archive named after its chunk key.
    const big = randomBytes(2.5 * 1024 * 1024);
    await writeFile(join(repo, "big.bin"), big);
    await writeFile(join(repo, "small.txt"), "one chunk\n");
    await expectOk(annex(["add", "-q", "."]));
    await expectOk(world.run("git", ["commit", "-qm", "files"], { cwd: repo }));
    await expectOk(annex(["copy", "-q", "--to", "vault", "."]));
    await expectOk(
      annex(["initremote", "s3", ...ours, "bucket=chunk-bucket", "prefix=moved", `endpoint=${world.emulator.url}`]),
    );

    // The inventory (exit 75), the Bulk jobs (exit 75), then the copies (exit 0).
    const migrate = ["vault", "migrate", "chunk-vault", "s3://chunk-bucket/moved", "--annex-layout"];
    const copied = await commitMigration(world, repo, s3, migrate);
    expect(
      copied.map((r) => r.exitCode),
      copied.at(-1)!.all,
    ).toEqual([75, 75, 0]);
    expect(copied[1]!.stderr).toMatch(/^glacier: 4 archives waiting for retrieval jobs \(Bulk\)/);
    const keys = (await expectOk(annex(["find", "--format=${key}\\n"]))).stdout.split("\n").filter(Boolean);
    const recorded = await expectOk(
      world.run("glacier", ["annex-migrate", "--from", "vault", "--to", "s3"], { cwd: repo, env: s3 }),
    );
    expect(recorded.stdout.split("\n").sort()).toEqual(keys.sort());

    // Cloned right after annex-migrate: its records are in the git-annex branch, not only in the journal.
    const { clone, inClone } = await freshClone(world, repo);
    const pending = await inClone(["get", "--from", "s3", "."]);
    expect(pending.exitCode, pending.all).toBe(1);
    // Every chunk of big.bin is restored at once, each from the object named after its chunk key.
    expect(pending.all).toMatch(
      /^ {2}Standard restore requested now \(.*\); 2 more chunks of this file requested now;/m,
    );
    await world.emulator.control.advanceClock(13 * HOUR);
    await expectOk(inClone(["get", "--from", "s3", "."]));
    expect((await readFile(join(clone, "big.bin"))).equals(big)).toBe(true);
    expect(await readFile(join(clone, "small.txt"), "utf8")).toBe("one chunk\n");
  }, 240_000);

  it("moves an encrypted vault remote to an S3 remote made --sameas it; a fresh clone decrypts its gets", async () => {
    const world = await annexWorld({ inventoryLag: "live", jobDelays: { Bulk: BULK } });
    const s3 = { AWS_ENDPOINT_URL_S3: world.emulator.url };
    const repo = await world.repo("sealed");
    const annex = (args: string[]) => world.run("git", ["annex", ...args], { cwd: repo, env: s3 });
    await expectOk(annex(["initremote", "vault", "type=glacier", "encryption=shared", "vault=sealed-vault"]));
    for (const [name, content] of Object.entries(FILES)) await writeFile(join(repo, name), content);
    await expectOk(annex(["add", "-q", "."]));
    await expectOk(world.run("git", ["commit", "-qm", "files"], { cwd: repo }));
    await expectOk(annex(["copy", "-q", "--to", "vault", "."]));

    // The S3 remote comes after the copy (--sameas needs no keys of its own), so the bucket is made here.
    await expectOk(world.run("glacier", ["vault", "create", "s3://sealed-bucket"], { cwd: repo, env: s3 }));
    const migrate = ["vault", "migrate", "sealed-vault", "s3://sealed-bucket/moved", "--annex-layout"];
    const copied = await commitMigration(world, repo, s3, migrate);
    expect(copied.at(-1)!.exitCode, copied.at(-1)!.all).toBe(0);
    // The vault holds ciphertext under HMAC names, and so does the bucket: nothing readable moved.
    await expectOk(world.run("glacier", ["vault", "sync", "s3://sealed-bucket/moved"], { cwd: repo, env: s3 }));
    const listed = await expectOk(
      world.run("glacier", ["archive", "list", "s3://sealed-bucket/moved"], { cwd: repo, env: s3 }),
    );
    const names = listed.stdout.split("\n").filter(Boolean);
    // Beside them, the migration's report.
    expect(names.slice(0, 2)).toEqual([".glacier-migrate/sealed-vault.csv", ".glacier-migrate/sealed-vault.jsonl"]);
    expect(names.slice(2), listed.stdout).toHaveLength(2);
    for (const name of names.slice(2)) expect(name).toMatch(/^GPGHMACSHA1--[0-9a-f]{40}$/);

    await expectOk(
      annex(
        ["initremote", "s3", "--sameas=vault", "type=external", "externaltype=glacier", "bucket=sealed-bucket"].concat([
          "prefix=moved",
          `endpoint=${world.emulator.url}`,
        ]),
      ),
    );
    const told = await expectOk(
      world.run("glacier", ["annex-migrate", "--from", "vault", "--to", "s3"], { cwd: repo, env: s3 }),
    );
    expect(told.stdout).toBe("");
    expect(told.stderr).toBe(
      "glacier: info: s3 was made --sameas=vault and shares its uuid: git-annex already counts vault's keys " +
        "for it; nothing to record",
    );

    const { clone, inClone } = await freshClone(world, repo);
    world.emulator.control.clearRequestLog();
    const pending = await inClone(["get", "--from", "s3", "."]);
    expect(pending.exitCode, pending.all).toBe(1);
    expect(pending.all).toContain("get notes.txt (from s3...)");
    expect(pending.all).toMatch(/^ {2}Standard restore requested now/m);
    // One restore per object, at the HMAC name the vault remote's cipher gives the key.
    const restores = world.emulator.control.requestLog().filter((e) => e.operation === "RestoreObject");
    expect(restores.map((e) => e.path.replace(/[0-9a-f]{40}$/, "HMAC"))).toEqual(
      Array(2).fill("/sealed-bucket/moved/GPGHMACSHA1--HMAC"),
    );
    expect(new Set(restores.map((e) => e.path)).size).toBe(2);
    await world.emulator.control.advanceClock(13 * HOUR);
    await expectOk(inClone(["get", "--from", "s3", "."]));
    for (const [name, content] of Object.entries(FILES))
      expect(await readFile(join(clone, name), "utf8")).toBe(content);
  }, 240_000);

  it("refuses an encrypted vault remote whose S3 remote is not --sameas it, in one line, exit 1", async () => {
    const world = await annexWorld();
    const repo = await world.repo("enc");
    const annex = (args: string[]) => world.run("git", ["annex", ...args], { cwd: repo });
    await expectOk(annex(["initremote", "vault", "type=glacier", "encryption=shared", "vault=enc-vault"]));
    await expectOk(annex(["initremote", "s3", ...OURS, "bucket=enc-bucket", `endpoint=${world.emulator.url}`]));
    const refused = await world.run("glacier", ["annex-migrate", "--from", "vault", "--to", "s3"], { cwd: repo });
    expect(refused.stderr).toBe(
      "glacier: --from vault uses encryption=shared: its objects are ciphertext only a remote sharing its cipher " +
        "reads; make s3 with git annex initremote s3 --sameas=vault ...",
    );
    expect(refused.exitCode).toBe(1);
  }, 60_000);
});
