// A restore gives back the tree that was backed up (docs/restore.md): a sparsebundle-like tree and a
// clonezilla image through the built binary and the emulator, compared with the originals by name,
// type, bytes, link target, mode, mtime and allocated blocks.
import { randomBytes } from "node:crypto";
import { chmod, lstat, mkdir, open, readdir, rm, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld, type CliWorld } from "../helpers/cli-env.ts";
import { compareTrees, describeTree } from "../helpers/tree-compare.mjs";

const MiB = 1024 * 1024;

/** A band of `size` bytes: random, or sparse (a hole with two random 4 KiB blocks). */
async function band(path: string, size: number, sparse: boolean): Promise<void> {
  const handle = await open(path, "w");
  if (sparse) {
    await handle.truncate(size);
    await handle.write(randomBytes(4096), 0, 4096, 0);
    await handle.write(randomBytes(4096), 0, 4096, size / 2);
  } else await handle.write(randomBytes(size), 0, size, 0);
  await handle.close();
}

/** Sets distinct past mtimes (microsecond fractions) on everything, folders last. */
async function age(root: string, base: number): Promise<void> {
  const entries = (await readdir(root, { recursive: true })).sort((a, b) => b.split("/").length - a.split("/").length);
  let i = 0;
  for (const name of entries) {
    const path = join(root, name);
    // readdir gives names that are not UTF-8 mangled: such a file is aged by its caller.
    const info = await lstat(path).catch(() => undefined);
    if (!info || info.isSymbolicLink()) continue;
    await utimes(path, base, base + (i++ * 1000 + 0.123456));
  }
}

async function sparsebundle(world: CliWorld): Promise<string> {
  const root = join(world.dir, "Backup.sparsebundle");
  await mkdir(join(root, "bands"), { recursive: true });
  await mkdir(join(root, "empty"));
  await writeFile(join(root, "Info.plist"), "<plist/>\n");
  await writeFile(join(root, "Info.bckup"), "<plist/>\n");
  await writeFile(join(root, "token"), "");
  await chmod(join(root, "token"), 0o600);
  await writeFile(join(root, ".DS_Store"), "dotfile");
  await writeFile(join(root, "Ünïcødé ☃.txt"), "unicode");
  await writeFile(join(root, "run.sh"), "#!/bin/sh\n");
  await chmod(join(root, "run.sh"), 0o750);
  await band(join(root, "bands", "0"), MiB, false);
  await band(join(root, "bands", "1"), 2 * MiB, true);
  await band(join(root, "bands", "2"), 2 * MiB, true);
  await symlink("bands/0", join(root, "current"));
  await age(root, 1_700_000_000);
  return root;
}

const manifestOf = (stderr: string) => /manifest (\.glacier-manifest\/\S+) records this snapshot/.exec(stderr)?.[1];

/** Runs a restore until it is done (the first run starts the jobs and exits 75). */
async function restore(world: CliWorld, args: string[]): Promise<void> {
  const first = await world.glacier(["vault", "restore", ...args]);
  expect(first.exitCode, first.stderr).toBe(75);
  const second = await world.glacier(["vault", "restore", ...args]);
  expect(second.exitCode, second.stderr).toBe(0);
}

describe("backup fidelity", () => {
  it(
    "backs up a sparsebundle, changes and reconciles it, and restores the latest state and the older manifest " +
      "exactly",
    async () => {
      const world = await cliWorld();
      const root = await sparsebundle(world);
      await world.glacier(["vault", "create", "v"]);
      const upload = await world.glacier(["archive", "multi-upload", "--manifest", "v", root]);
      expect(upload.exitCode, upload.stderr).toBe(0);
      const older = manifestOf(upload.stderr)!;
      const before = describeTree(root);
      expect(before.get("current")).toMatchObject({ kind: "symlink", target: "bands/0" });

      // Between backups: a band added (sparse), a file removed (its archive kept), a link retargeted,
      // a mode and an mtime changed, a new empty folder.
      await band(join(root, "bands", "3"), 2 * MiB, true);
      await rm(join(root, "Info.bckup"));
      await rm(join(root, "current"));
      await symlink("bands/3", join(root, "current"));
      await chmod(join(root, "Info.plist"), 0o600);
      await mkdir(join(root, "bands", "spare"));
      await age(root, 1_710_000_000);
      const reconcile = await world.glacier(["vault", "reconcile", "--commit", "v", root]);
      expect(reconcile.exitCode, reconcile.stderr).toBe(0);
      const after = describeTree(root);

      const latest = join(world.dir, "latest");
      await restore(world, ["v", latest]);
      expect(compareTrees(after, describeTree(latest))).toEqual([]);

      const snapshot = join(world.dir, "snapshot");
      await restore(world, ["--manifest", older, "v", snapshot]);
      expect(compareTrees(before, describeTree(snapshot))).toEqual([]);
      // The sparse bands came back sparse: two 4 KiB blocks each, not 2 MiB.
      expect((await stat(join(snapshot, "bands", "1"))).blocks * 512).toBeLessThan(64 * 1024);
    },
  );

  it(
    "--dry-run --manifest starts no job, says which would start; --delete-extra lists, then removes what the " +
      "snapshot lacks",
    async () => {
      const world = await cliWorld();
      const root = await sparsebundle(world);
      await world.glacier(["vault", "create", "v"]);
      const manifest = manifestOf((await world.glacier(["archive", "multi-upload", "--manifest", "v", root])).stderr)!;
      // Without the copy kept beside the cache, the manifest itself must be retrieved first.
      const cacheFiles = await readdir(world.env.XDG_CACHE_HOME!, { recursive: true });
      for (const f of cacheFiles.filter((f) => f.endsWith(".jsonl"))) await rm(join(world.env.XDG_CACHE_HOME!, f));
      const out = join(world.dir, "out");
      await mkdir(join(out, "stale"), { recursive: true });
      await writeFile(join(out, "stale", "old-band"), "x");
      await writeFile(join(out, "leftover"), "x");

      world.emulator.control.clearRequestLog();
      const dry = await world.glacier([
        "vault",
        "restore",
        "--dry-run",
        "--manifest",
        manifest,
        "--delete-extra",
        "v",
        out,
      ]);
      expect(dry.exitCode, dry.stderr).toBe(0);
      const notRetrieved = /^glacier: info: dry run: manifest '\.glacier-manifest\/\S+' is not retrieved yet/.source;
      const unknown = /, so the archives it lists are not known; /.source;
      const wouldStart = /a real run would start 1 retrieval job \(\d+ bytes, Standard tier, /.source;
      const fees = /about \$0\.\d\d in retrieval fees, typically ready in 5 h\) for it first; no job was started\n$/
        .source;
      expect(dry.stderr).toMatch(new RegExp(notRetrieved + unknown + wouldStart + fees));
      expect(world.emulator.control.requestLog().filter((r) => r.operation === "InitiateJob")).toEqual([]);

      expect((await world.glacier(["vault", "restore", "--manifest", manifest, "v", out])).exitCode).toBe(75);
      world.emulator.control.clearRequestLog();
      const dry2 = await world.glacier([
        "vault",
        "restore",
        "--dry-run",
        "--manifest",
        manifest,
        "--delete-extra",
        "v",
        out,
      ]);
      expect(dry2.exitCode, dry2.stderr).toBe(0);
      expect(dry2.stderr).toContain(`glacier: info: would delete ${join(out, "leftover")} (not in the snapshot)\n`);
      expect(dry2.stderr).toContain(`glacier: info: would delete ${join(out, "stale")} (not in the snapshot)\n`);
      const wouldStart8 = /a real run would start 8 retrieval jobs \([\d.]+ MiB, Standard tier, /.source;
      const fees8 = /about \$\d+\.\d\d in retrieval fees, typically ready in 5 h\); no job was started\n$/.source;
      expect(dry2.stderr).toMatch(new RegExp(wouldStart8 + fees8));
      expect(world.emulator.control.requestLog().filter((r) => r.operation === "InitiateJob")).toEqual([]);
      expect(await readdir(out)).toEqual(["leftover", "stale"]);

      await world.glacier(["vault", "restore", "--manifest", manifest, "--delete-extra", "v", out]);
      const done = await world.glacier(["vault", "restore", "--manifest", manifest, "--delete-extra", "v", out]);
      expect(done.exitCode, done.stderr).toBe(0);
      expect(compareTrees(describeTree(root), describeTree(out))).toEqual([]);
    },
  );

  it("round-trips a clonezilla image with split, tiny and empty files and a file name that is not UTF-8", async () => {
    const world = await cliWorld();
    const image = join(world.dir, "2026-06-01-img");
    await mkdir(image);
    await writeFile(join(image, "sda1.ext4-ptcl-img.gz.aa"), randomBytes(300_000));
    await writeFile(join(image, "sda1.ext4-ptcl-img.gz.ab"), randomBytes(70_000));
    await writeFile(join(image, "parts"), "sda1\n");
    await writeFile(join(image, "disk"), "sda\n");
    await writeFile(join(image, "sda-pt.sf"), "label: dos\n");
    await writeFile(join(image, "sda-mbr"), randomBytes(512));
    await writeFile(join(image, "sda-hidden-data-after-mbr"), "");
    await writeFile(join(image, "clonezilla-img"), "");
    const latin1 = Buffer.from(`${image}/notes-caf\xe9.txt`, "latin1");
    await writeFile(latin1, "latin-1 name");
    await age(image, 1_700_000_000);
    await utimes(latin1, 1_600_000_000, 1_600_000_000.5);
    await world.glacier(["vault", "create", "v"]);
    const upload = await world.glacier(["archive", "multi-upload", "--prefix", "cz", "v", image]);
    expect(upload.exitCode, upload.stderr).toBe(0);
    const out = join(world.dir, "restored");
    await restore(world, ["--prefix", "cz", "v", out]);
    expect(compareTrees(describeTree(image), describeTree(out))).toEqual([]);
  });

  it(
    "reconcile without --prefix uses the prefix the folder was backed up under, and stops with a hint when it " +
      "cannot know it",
    async () => {
      const world = await cliWorld();
      const root = await sparsebundle(world);
      await world.glacier(["vault", "create", "v"]);
      expect((await world.glacier(["archive", "multi-upload", "--prefix", "mac/tm", "v", root])).exitCode).toBe(0);
      const plan = await world.glacier(["vault", "reconcile", "v", root]);
      expect(plan.exitCode, plan.stderr).toBe(0);
      expect(plan.stderr).toContain(
        `glacier: info: using --prefix 'mac/tm/', under which ${root} was last backed up to vault 'v'\n`,
      );
      expect(plan.stderr).toContain("Nothing to do");

      // The same folder copied elsewhere: nothing remembered, and the archives are under mac/tm/.
      const copy = join(world.dir, "copy");
      await mkdir(copy);
      for (const name of ["Info.plist", "Info.bckup"]) await writeFile(join(copy, name), "<plist/>\n");
      world.emulator.control.clearRequestLog();
      const trap = await world.glacier(["vault", "reconcile", "--commit", "v", copy]);
      expect(trap.exitCode).toBe(2);
      expect(trap.stderr).toContain(
        "glacier: every file looks new and every archive missing, but the archives of this folder are under " +
          "'mac/tm/': run again with --prefix 'mac/tm/' (or --prefix '' to compare as it is)\n",
      );
      expect(world.emulator.control.requestLog().filter((r) => r.operation === "UploadArchive")).toEqual([]);
    },
  );
});
