// What reconcile and the cache know about superseded archives (docs/retention.md), under faults,
// concurrency and kills: no stale version comes back, deletes are guarded, a hash is never trusted
// for bytes other than the file's, and the retention invariants hold after kill -9.
import { randomBytes } from "node:crypto";
import { execa } from "execa";
import { chmod, mkdir, readFile, readdir, readlink, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { check, record } from "./ledger.ts";
import { seeded, seededBytes } from "./rng.ts";
import { vaultArchives } from "./vault-check.ts";
import { makeWorld, type World } from "./world.ts";

const SECTION = "trust-reconcile";
const DAY = 86_400;

/** glacier with its clock on the emulator's (retention is judged by the service's time). */
async function at(world: World): Promise<Record<string, string>> {
  return { GLACIER_CLOCK_OFFSET_SECONDS: String(((await world.emulator.control.now()) - Date.now()) / 1000) };
}

async function withWorld(
  test: (world: World) => Promise<void>,
  options: Parameters<typeof makeWorld>[0] = {},
): Promise<void> {
  const world = await makeWorld(options);
  try {
    await test(world);
  } finally {
    await world.close();
  }
}

/** Restores the vault's current state (or a manifest) and returns name -> bytes. */
async function restored(
  world: World,
  into: string,
  manifest?: string,
): Promise<{ exitCode: number; files: Map<string, Buffer>; stderr: string }> {
  const out = join(world.dir, into);
  const args = ["vault", "restore", "--wait", ...(manifest ? ["--manifest", manifest] : []), "v", out];
  const result = await world.glacier(args, { env: await at(world) });
  const files = new Map<string, Buffer>();
  for (const name of await readdir(out, { recursive: true }).catch(() => [] as string[])) {
    const path = join(out, name);
    if ((await stat(path)).isFile()) files.set(name, await readFile(path));
  }
  return { exitCode: result.exitCode, files, stderr: result.stderr };
}

function sameTree(got: Map<string, Buffer>, want: Record<string, Buffer>, label: string): string[] {
  const problems: string[] = [];
  for (const name of new Set([...got.keys(), ...Object.keys(want)])) {
    const g = got.get(name),
      w = want[name];
    if (!w) problems.push(`${label}: ${name} restored but not in the tree (a stale version came back)`);
    else if (!g) problems.push(`${label}: ${name} not restored`);
    else if (!g.equals(w)) problems.push(`${label}: ${name} restored with other bytes`);
  }
  return problems;
}

describe("no stale version comes back", () => {
  it(
    "a replaced archive whose DeleteArchive failed stays superseded, is deleted later, and never returns after " +
      "its file is deleted",
    async () => {
      await withWorld(async (world) => {
        await world.glacier(["vault", "create", "v"]);
        const src = join(world.dir, "src");
        await mkdir(src);
        const tree: Record<string, Buffer> = { a: randomBytes(5000), b: randomBytes(300) };
        for (const [n, b] of Object.entries(tree)) await writeFile(join(src, n), b);
        expect((await world.glacier(["vault", "reconcile", "--commit", "--manifest", "v", src])).exitCode).toBe(0);
        tree.a = randomBytes(5001);
        await writeFile(join(src, "a"), tree.a);
        world.emulator.control.setFaults("500,op=DeleteArchive");
        const failed = await world.glacier(["vault", "reconcile", "--commit", "--keep-versions", "0", "v", src]);
        world.emulator.control.setFaults([]);
        const problems: string[] = [];
        if (failed.exitCode !== 1 || !/old version not deleted/.test(failed.stderr))
          problems.push(`failed delete not reported: exit ${failed.exitCode}: ${failed.stderr}`);
        // Current state: the new content, not the old, although the old archive is still in the vault.
        problems.push(...sameTree((await restored(world, "r1")).files, tree, "after the failed delete"));
        await rm(join(src, "a"));
        delete tree.a;
        const removed = await world.glacier([
          "vault",
          "reconcile",
          "--commit",
          "--delete-removed",
          "--keep-versions",
          "0",
          "--manifest",
          "v",
          src,
        ]);
        if (removed.exitCode !== 0)
          problems.push(`reconcile after the delete: exit ${removed.exitCode}: ${removed.stderr}`);
        const manifest = /manifest (\S+) records this snapshot/.exec(removed.stderr)?.[1];
        problems.push(...sameTree((await restored(world, "r2")).files, tree, "vault restore"));
        problems.push(...sameTree((await restored(world, "r3", manifest)).files, tree, "vault restore --manifest"));
        const left = [...(await vaultArchives(world, "v")).keys()].filter((n) => !n.startsWith(".glacier-manifest/"));
        if (left.join() !== "b") problems.push(`archives left in the vault: ${left.join(", ")} (want only b)`);
        record(SECTION, "failed DeleteArchive then file deleted: stale versions restored", problems.length);
        expect(check(SECTION, problems)).toEqual([]);
      });
    },
  );
});

describe("guarded deletes", () => {
  it(
    "--delete-removed against an empty source (an unmounted " + "disk's mount point) refuses and deletes nothing",
    async () => {
      await withWorld(async (world) => {
        await world.glacier(["vault", "create", "v"]);
        const src = join(world.dir, "mnt");
        await mkdir(src);
        for (let i = 0; i < 4; i++) await writeFile(join(src, `f${i}`), randomBytes(100));
        await world.glacier(["vault", "reconcile", "--commit", "v", src]);
        for (let i = 0; i < 4; i++) await rm(join(src, `f${i}`));
        world.emulator.control.clearRequestLog();
        const result = await world.glacier([
          "vault",
          "reconcile",
          "--commit",
          "--delete-removed",
          "--keep-versions",
          "0",
          "v",
          src,
        ]);
        const problems: string[] = [];
        if (
          result.exitCode !== 1 ||
          result.stderr.split("\n").length !== 2 ||
          !/--max-delete 4 allows it/.test(result.stderr)
        )
          problems.push(`not refused in one line: ${result.exitCode} ${result.stderr}`);
        const sent = world.emulator.control.requestLog().filter((r) => r.operation !== "_emulator").length;
        if (sent !== 0) problems.push(`${sent} requests sent`);
        record(SECTION, "empty source: archives deleted", (await vaultArchives(world, "v")).size === 4 ? 0 : 1);
        expect(check(SECTION, problems)).toEqual([]);
      });
    },
  );
});

describe("two reconciles of one vault", () => {
  it(
    "a second reconcile --commit while one runs refuses in " + "one line: no duplicate live archives, one manifest",
    async () => {
      await withWorld(async (world) => {
        await world.glacier(["vault", "create", "v"]);
        const src = join(world.dir, "src");
        await mkdir(src);
        for (let i = 0; i < 3; i++) await writeFile(join(src, `f${i}`), randomBytes(1000 + i));
        // Each upload answered after 2 s: the first run holds the vault for at least 6 s.
        world.emulator.control.setFaults("latency,op=UploadArchive,ms=2000");
        const first = world.spawn(["vault", "reconcile", "--commit", "--manifest", "v", src]);
        const locks = join(world.cacheDir, "vault-locks");
        while ((await readdir(locks).catch(() => [])).length === 0) await sleep(5);
        const second = await world.glacier(["vault", "reconcile", "--commit", "--manifest", "v", src]);
        const firstDone = await first;
        world.emulator.control.setFaults([]);
        const problems: string[] = [];
        if (
          second.exitCode !== 1 ||
          !new RegExp(
            /^glacier: vault 'v' is being changed by another glacier \(process \d+\); /.source +
              /try again when it has finished\n$/.source,
          ).test(second.stderr)
        ) {
          problems.push(`second run: exit ${second.exitCode}: ${second.stderr}`);
        }
        if (firstDone.exitCode !== 0)
          problems.push(`first run: exit ${firstDone.exitCode}: ${String(firstDone.stderr)}`);
        const inVault = await vaultArchives(world, "v");
        for (const [name, ids] of inVault) if (ids.length !== 1) problems.push(`${name}: ${ids.length} live archives`);
        if ([...inVault.keys()].filter((n) => n.startsWith(".glacier-manifest/")).length !== 1)
          problems.push("not exactly one manifest");
        // Once the first has finished, the next run goes ahead and has nothing to do.
        const third = await world.glacier(["vault", "reconcile", "--commit", "v", src]);
        if (!/Nothing to do: 3 files unchanged/.test(third.stderr)) problems.push(`third run: ${third.stderr}`);
        record(SECTION, "concurrent reconcile --commit: duplicates", problems.length);
        expect(check(SECTION, problems)).toEqual([]);
      });
    },
  );
});

/** Waits until process `pid` has `path` open, then stops it; false when it ended or closed it first. */
async function stopWhileOpen(pid: number, path: string): Promise<boolean> {
  const isOpen = async () => {
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
      if ((await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "")) === path) return true;
    }
    return false;
  };
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    if (await isOpen()) break;
  }
  process.kill(pid, "SIGSTOP");
  // Checked again while stopped: now the read is certainly still under way.
  if (await isOpen()) return true;
  process.kill(pid, "SIGCONT");
  return false;
}

describe("--trust-mtime never trusts a stale hash", () => {
  it(
    "a file rewritten during hashing by a writer that restores its mtime (touch -r) is hashed again and backed " + "up",
    async () => {
      await withWorld(async (world) => {
        await world.glacier(["vault", "create", "v"]);
        const src = join(world.dir, "src");
        await mkdir(src);
        const path = join(src, "disk.img");
        const reference = join(world.dir, "times");
        await writeFile(reference, "");
        const random = seeded(4242);
        const old = seededBytes(random, 96 * 1024 * 1024);
        await writeFile(path, old);
        expect((await world.glacier(["vault", "reconcile", "--commit", "--trust-mtime", "v", src])).exitCode).toBe(0);
        const fresh = Buffer.from(old);
        fresh.fill(0x5a, 0, 4096);
        const problems: string[] = [];
        let caught = false;
        for (let attempt = 0; attempt < 5 && !caught; attempt++) {
          // A change of mode moves the ctime, so --trust-mtime hashes the file again.
          await chmod(path, 0o640 + (attempt % 2) * 4);
          const run = world.spawn(["vault", "reconcile", "--commit", "--trust-mtime", "v", src]);
          caught = await stopWhileOpen(run.pid!, path);
          if (caught) {
            // `touch -r` keeps the nanoseconds of the mtime, as cp -p and rsync -t do.
            await execa("touch", ["-r", path, reference]);
            await writeFile(path, fresh);
            await execa("touch", ["-r", reference, path]);
            process.kill(run.pid!, "SIGCONT");
          }
          const done = await run;
          if (done.exitCode !== 0) problems.push(`run ${attempt}: exit ${done.exitCode}: ${String(done.stderr)}`);
        }
        record(SECTION, "writer restoring mtime caught during hashing", caught ? 1 : 0);
        expect(caught).toBe(true);
        const later = await world.glacier(["vault", "reconcile", "--trust-mtime", "v", src]);
        if (!/Nothing to do: 1 file unchanged/.test(later.stderr))
          problems.push(`later --trust-mtime run: ${later.stderr}`);
        const back = await restored(world, "out");
        if (!back.files.get("disk.img")?.equals(fresh))
          problems.push("the vault's current version is not the file's content (a stale hash was trusted)");
        expect(check(SECTION, problems)).toEqual([]);
      });
    },
  );
});

describe("kill -9 during reconcile --commit", () => {
  it(
    "keeps the retention invariants: current state and the latest manifest restore exactly, prune deletes only " +
      "expired old versions",
    async () => {
      const trials = [1, 2, 3];
      const problems: string[] = [];
      for (const killAfter of trials) {
        await withWorld(async (world) => {
          await world.glacier(["vault", "create", "v"]);
          const src = join(world.dir, "src");
          await mkdir(src);
          const random = seeded(900 + killAfter);
          const tree: Record<string, Buffer> = {};
          for (let i = 0; i < 5; i++) tree[`f${i}`] = seededBytes(random, 2000 + i);
          for (const [n, b] of Object.entries(tree)) await writeFile(join(src, n), b);
          expect(
            (await world.glacier(["vault", "reconcile", "--commit", "--manifest", "v", src], { env: await at(world) }))
              .exitCode,
          ).toBe(0);
          await world.emulator.control.advanceClock(30 * DAY);
          for (const n of ["f0", "f1", "f2", "f3"]) {
            tree[n] = seededBytes(random, 2100);
            await writeFile(join(src, n), tree[n]);
          }
          await rm(join(src, "f4"));
          delete tree.f4;
          world.emulator.control.clearRequestLog();
          const run = world.spawn(["vault", "reconcile", "--commit", "--delete-removed", "--manifest", "v", src], {
            env: await at(world),
          });
          while (world.emulator.control.requestLog().filter((r) => r.operation === "UploadArchive").length < killAfter)
            await sleep(1);
          run.kill("SIGKILL");
          await run;
          // The next run completes the work; the one after has nothing left to do.
          const again = await world.glacier(
            ["vault", "reconcile", "--commit", "--delete-removed", "--manifest", "v", src],
            { env: await at(world) },
          );
          if (again.exitCode !== 0)
            problems.push(`kill after ${killAfter}: rerun exit ${again.exitCode}: ${again.stderr}`);
          const latest = /manifest (\S+) records this snapshot/.exec(again.stderr)?.[1];
          problems.push(...sameTree((await restored(world, "now")).files, tree, `kill after ${killAfter}: current`));
          problems.push(
            ...sameTree(
              (await restored(world, "latest", latest)).files,
              tree,
              `kill after ${killAfter}: latest manifest`,
            ),
          );
          if (world.emulator.control.requestLog().some((r) => r.operation === "DeleteArchive"))
            problems.push(`kill after ${killAfter}: an old version was deleted within its 90 days`);

          // Day 95 after the first backup: its replaced versions go, with no early-deletion fee.
          await world.emulator.control.advanceClock(65 * DAY);
          const created = new Map(
            Object.values((await world.emulator.control.dumpState()).vaults.v!.archives).map((a) => [
              a.id,
              a.creationDate,
            ]),
          );
          world.emulator.control.clearRequestLog();
          const pruned = await world.glacier(["vault", "prune", "v"], { env: await at(world) });
          if (pruned.exitCode !== 0)
            problems.push(`kill after ${killAfter}: prune exit ${pruned.exitCode}: ${pruned.stderr}`);
          for (const d of world.emulator.control.requestLog().filter((r) => r.operation === "DeleteArchive")) {
            const id = decodeURIComponent(d.path.split("/").at(-1)!);
            if (Date.parse(d.time) - created.get(id)! < 90 * DAY * 1000)
              problems.push(`kill after ${killAfter}: archive deleted before its 90 days`);
          }
          problems.push(
            ...sameTree(
              (await restored(world, "after-prune")).files,
              tree,
              `kill after ${killAfter}: current after prune`,
            ),
          );
          problems.push(
            ...sameTree(
              (await restored(world, "latest-after-prune", latest)).files,
              tree,
              `kill after ${killAfter}: latest manifest after prune`,
            ),
          );
        });
      }
      record(SECTION, "kill -9 during reconcile: trials", trials.length);
      expect(check(SECTION, problems)).toEqual([]);
    },
  );
});
