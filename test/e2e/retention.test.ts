// Old versions kept until their minimum storage period ends (docs/retention.md), through the binary:
// snapshots that stay restorable, a prune that pays no early-deletion fee, guarded deletes.
// The CLI's clock follows the emulator's virtual clock through GLACIER_CLOCK_OFFSET_SECONDS.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld, type CliWorld } from "../helpers/cli-env.ts";

const DAY = 86_400;
const DAY_MS = DAY * 1000;

/** Runs glacier with its clock set to the emulator's. */
async function glacierAt(world: CliWorld, args: string[]) {
  const offset = ((await world.emulator.control.now()) - Date.now()) / 1000;
  return world.glacier(args, { env: { GLACIER_CLOCK_OFFSET_SECONDS: String(offset), GLACIER_POLL_SECONDS: "0.05" } });
}

async function tree(world: CliWorld, files: Record<string, Buffer>): Promise<string> {
  const root = join(world.dir, "tree");
  await mkdir(root, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(root, name), bytes);
  return root;
}

const manifestOf = (stderr: string) => /manifest (\.glacier-manifest\/\S+) records this snapshot/.exec(stderr)![1]!;

async function restoreSnapshot(world: CliWorld, manifest: string, into: string) {
  return glacierAt(world, ["vault", "restore", "--wait", "--manifest", manifest, "v", join(world.dir, into)]);
}

describe("retention of old versions", () => {
  it(
    "keeps replaced and removed versions so every snapshot restores in full, then prunes only those past 90 " + "days",
    async () => {
      const world = await cliWorld();
      await world.glacier(["vault", "create", "v"]);
      const a0 = randomBytes(3000),
        b0 = randomBytes(2000),
        c0 = randomBytes(1000);
      const root = await tree(world, { a: a0, b: b0, c: c0 });
      const first = await glacierAt(world, ["vault", "reconcile", "--commit", "--manifest", "v", root]);
      expect(first.exitCode).toBe(0);
      const m1 = manifestOf(first.stderr);

      await world.emulator.control.advanceClock(10 * DAY);
      const a1 = randomBytes(3100);
      await writeFile(join(root, "a"), a1);
      await rm(join(root, "b"));
      world.emulator.control.clearRequestLog();
      const plan = await glacierAt(world, ["vault", "reconcile", "--delete-removed", "v", root]);
      expect(plan.stderr).toContain(
        "glacier: info:   removed: 1 archive, 2000 bytes (2.0 KiB); kept as old versions\n",
      );
      expect(plan.stderr).toContain(
        "glacier: info:   old versions: 2 kept, 5000 bytes (4.9 KiB), until 90 days after upload (the first may go on",
      );
      expect(plan.stderr).toMatch(/keeping the old versions past their minimum period would cost <?\$[\d.]+ per month/);
      const second = await glacierAt(world, [
        "vault",
        "reconcile",
        "--commit",
        "--delete-removed",
        "--manifest",
        "v",
        root,
      ]);
      expect(second.exitCode).toBe(0);
      expect(second.stderr).toContain(
        "glacier: info: reconciled: 1 uploaded, 2 old versions superseded, 0 deleted, 2 kept\n",
      );
      const m2 = manifestOf(second.stderr);
      expect(world.emulator.control.requestLog().filter((r) => r.operation === "DeleteArchive")).toEqual([]);

      await world.emulator.control.advanceClock(10 * DAY);
      const a2 = randomBytes(3200);
      await writeFile(join(root, "a"), a2);
      const third = await glacierAt(world, ["vault", "reconcile", "--commit", "--manifest", "v", root]);
      expect(third.exitCode).toBe(0);
      const m3 = manifestOf(third.stderr);

      const listed = await glacierAt(world, ["vault", "snapshots", "v"]);
      expect(listed.exitCode).toBe(0);
      const rows = listed.stdout
        .trim()
        .split("\n")
        .map((line) => line.split("\t"));
      expect(rows.map((r) => [r[1], r[2], r[4]])).toEqual([
        [m1, "3 files", "complete"],
        [m2, "2 files", "complete"],
        [m3, "2 files", "complete"],
      ]);
      const start = Date.parse(rows[0]![0]!);
      expect(Date.parse(/restorable until (\S+)/.exec(rows[0]![5]!)![1]!)).toBeGreaterThanOrEqual(start + 89 * DAY_MS);
      expect(rows[2]![5]).toBe("restorable while its files are unchanged");

      // Every snapshot restores completely while its versions are kept.
      for (const [manifest, into, expected] of [
        [m1, "r1", { a: a0, b: b0, c: c0 }],
        [m2, "r2", { a: a1, c: c0 }],
        [m3, "r3", { a: a2, c: c0 }],
      ] as const) {
        const restored = await restoreSnapshot(world, manifest, into);
        expect(restored.exitCode, restored.stderr).toBe(0);
        for (const [name, bytes] of Object.entries(expected))
          expect(Buffer.compare(await readFile(join(world.dir, into, name)), bytes)).toBe(0);
      }

      // Day 95: a0 and b0 (uploaded on day 0) are past their 90 days; a1 (day 10) is not.
      await world.emulator.control.advanceClock(75 * DAY);
      const before = await world.emulator.control.dumpState();
      const created = new Map(Object.values(before.vaults.v!.archives).map((a) => [a.id, a.creationDate]));
      world.emulator.control.clearRequestLog();
      const pruned = await glacierAt(world, ["vault", "prune", "v"]);
      expect(pruned.exitCode, pruned.stderr).toBe(0);
      expect(pruned.stderr).toContain("glacier: info: pruned: 2 old versions deleted, 1 kept\n");
      const deletes = world.emulator.control.requestLog().filter((r) => r.operation === "DeleteArchive");
      expect(deletes).toHaveLength(2);
      for (const d of deletes) {
        const id = decodeURIComponent(d.path.split("/").at(-1)!);
        // No early-deletion fee: each archive was at least 90 days old by the emulator's clock.
        expect(Date.parse(d.time) - created.get(id)!).toBeGreaterThanOrEqual(90 * DAY_MS);
        expect(d.status).toBe(204);
      }

      const after = (await glacierAt(world, ["vault", "snapshots", "v"])).stdout
        .trim()
        .split("\n")
        .map((line) => line.split("\t"));
      expect(after.map((r) => r[4])).toEqual(["incomplete (2 files deleted)", "complete", "complete"]);

      // The incomplete snapshot says which files it lost before any job for them, and restores the rest.
      await world.emulator.control.advanceClock(2 * DAY);
      const jobsBefore = new Set(Object.keys((await world.emulator.control.dumpState()).jobs));
      const partial = await restoreSnapshot(world, m1, "r1-late");
      expect(partial.exitCode).toBe(1);
      const lines = partial.stderr.split("\n");
      expect(lines[0]).toMatch(
        /^glacier: a: cannot be restored from this snapshot: its archive was deleted on \d{4}-\d\d-\d\d$/,
      );
      expect(lines[1]).toMatch(/^glacier: b: cannot be restored/);
      expect(lines[2]).toBe(
        `glacier: warning: snapshot ${m1} is incomplete: 2 files cannot be restored; the others are`,
      );
      expect(Buffer.compare(await readFile(join(world.dir, "r1-late", "c")), c0)).toBe(0);
      // No job for the deleted archives.
      const deletedIds = new Set(deletes.map((d) => decodeURIComponent(d.path.split("/").at(-1)!)));
      const newJobs = Object.entries((await world.emulator.control.dumpState()).jobs)
        .filter(([id]) => !jobsBefore.has(id))
        .map(([, job]) => job);
      expect(newJobs.filter((job) => job.archiveId !== null && deletedIds.has(job.archiveId))).toEqual([]);
    },
  );

  it(
    "with --keep-versions 0 deletes replaced archives at " + "once and shows the early-deletion fee in the plan",
    async () => {
      const world = await cliWorld();
      await world.glacier(["vault", "create", "v"]);
      const root = await tree(world, { a: randomBytes(5000) });
      await glacierAt(world, ["vault", "reconcile", "--commit", "v", root]);
      await writeFile(join(root, "a"), randomBytes(5001));
      const plan = await glacierAt(world, ["vault", "reconcile", "--keep-versions", "0", "v", root]);
      expect(plan.stderr).toContain(
        "glacier: info:   old versions: none kept; 1 deleted now, 5000 bytes (4.9 KiB) (with early-deletion fee)\n",
      );
      expect(plan.stderr).toContain("early deletion of 1 archive younger than 90 days");
      world.emulator.control.clearRequestLog();
      const commit = await glacierAt(world, ["vault", "reconcile", "--commit", "--keep-versions", "0", "v", root]);
      expect(commit.stderr).toContain("reconciled: 1 uploaded, 1 old version superseded, 1 deleted, 0 kept\n");
      const ops = world.emulator.control
        .requestLog()
        .map((r) => r.operation)
        .filter((op) => op === "UploadArchive" || op === "DeleteArchive");
      expect(ops).toEqual(["UploadArchive", "DeleteArchive"]);
      expect((await world.glacier(["archive", "list", "v"])).stdout).toBe("a\n");
    },
  );

  it(
    "never brings back the old content of a file changed, " + "whose old archive failed to delete, then deleted",
    async () => {
      const world = await cliWorld();
      await world.glacier(["vault", "create", "v"]);
      const root = await tree(world, { a: randomBytes(4000), keep: randomBytes(10) });
      await glacierAt(world, ["vault", "reconcile", "--commit", "v", root]);
      await writeFile(join(root, "a"), randomBytes(4001));
      world.emulator.control.setFaults("500,op=DeleteArchive");
      const failed = await glacierAt(world, ["vault", "reconcile", "--commit", "--keep-versions", "0", "v", root]);
      expect(failed.exitCode).toBe(1);
      const notDeleted = /glacier: a: old version not deleted: .*; /.source;
      expect(failed.stderr).toMatch(
        new RegExp(notDeleted + /it stays superseded and the next reconcile or vault prune tries again\n/.source),
      );
      world.emulator.control.setFaults([]);

      await rm(join(root, "a"));
      const removed = await glacierAt(world, [
        "vault",
        "reconcile",
        "--commit",
        "--delete-removed",
        "--keep-versions",
        "0",
        "--manifest",
        "v",
        root,
      ]);
      expect(removed.exitCode, removed.stderr).toBe(0);
      expect(removed.stderr).toContain("reconciled: 0 uploaded, 1 old version superseded, 2 deleted, 0 kept");
      expect(Object.keys((await world.emulator.control.dumpState()).vaults.v!.archives)).toHaveLength(2);

      const restored = await glacierAt(world, ["vault", "restore", "--wait", "v", join(world.dir, "out")]);
      expect(restored.exitCode).toBe(0);
      const fromManifest = await restoreSnapshot(world, manifestOf(removed.stderr), "snap");
      expect(fromManifest.exitCode).toBe(0);
      for (const dir of ["out", "snap"]) {
        await expect(readFile(join(world.dir, dir, "a"))).rejects.toThrow(/ENOENT/);
        expect((await readFile(join(world.dir, dir, "keep"))).length).toBe(10);
      }
    },
  );
});

describe("guarded deletes", () => {
  async function backedUp(files: number) {
    const world = await cliWorld();
    await world.glacier(["vault", "create", "v"]);
    const root = await tree(
      world,
      Object.fromEntries(Array.from({ length: files }, (_, i) => [`f${i}`, randomBytes(100 + i)])),
    );
    expect((await world.glacier(["vault", "reconcile", "--commit", "v", root])).exitCode).toBe(0);
    return { world, root };
  }

  it("refuses --delete-removed against an empty source, naming the flag that allows it", async () => {
    const { world, root } = await backedUp(3);
    for (const f of ["f0", "f1", "f2"]) await rm(join(root, f));
    const result = await world.glacier(["vault", "reconcile", "--commit", "--delete-removed", "v", root]);
    expect(result).toEqual({
      exitCode: 1,
      stdout: "",
      stderr:
        `glacier: ${root} has no files: refusing to remove all 3 paths in the vault with --delete-removed (is ` +
        `the disk mounted?); --max-delete 3 allows it\n`,
    });
    const allowed = await world.glacier([
      "vault",
      "reconcile",
      "--commit",
      "--delete-removed",
      "--max-delete",
      "3",
      "v",
      root,
    ]);
    expect(allowed.exitCode).toBe(0);
    expect(allowed.stderr).toContain("reconciled: 0 uploaded, 3 old versions superseded, 0 deleted, 3 kept");
  });

  it("refuses --delete-removed against a missing source in one line", async () => {
    const { world, root } = await backedUp(2);
    const result = await world.glacier([
      "vault",
      "reconcile",
      "--commit",
      "--delete-removed",
      "v",
      `${root}-unmounted`,
    ]);
    expect(result).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: `glacier: ${root}-unmounted: No such file or directory\n`,
    });
    expect((await world.glacier(["archive", "list", "v"])).stdout).toBe("f0\nf1\n");
  });

  it("refuses to remove more than half of the paths, or more than --max-delete", async () => {
    const { world, root } = await backedUp(4);
    for (const f of ["f0", "f1", "f2"]) await rm(join(root, f));
    expect((await world.glacier(["vault", "reconcile", "--delete-removed", "v", root])).stderr).toBe(
      "glacier: refusing to remove 3 of 4 paths in the vault with --delete-removed (more than half); " +
        "--max-delete 3 allows it\n",
    );
    expect(
      (await world.glacier(["vault", "reconcile", "--delete-removed", "--max-delete", "2", "v", root])).stderr,
    ).toBe("glacier: refusing to remove 3 paths with --delete-removed: more than --max-delete 2\n");
    expect(
      (await world.glacier(["vault", "reconcile", "--delete-removed", "--max-delete", "3", "v", root])).exitCode,
    ).toBe(0);
  });
});
