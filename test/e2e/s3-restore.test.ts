// Restores as retrievals on s3:// addresses: RestoreObject with the tier, exit 75 with the time to
// come back, `job list` showing pending restores, and whole trees backed up with multi-upload,
// reconciled by tree hash and restored by `vault restore`, which asks for every restore in its
// first run. The emulator's virtual clock completes the restores.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld, type CliWorld } from "../helpers/cli-env.ts";

const HOUR = 3600;

async function s3World(): Promise<CliWorld> {
  const world = await cliWorld();
  world.env.AWS_ENDPOINT_URL_S3 = world.emulator.url;
  return world;
}

const restoreRequests = (w: CliWorld) => w.emulator.control.requestLog().filter((r) => r.operation === "RestoreObject");

describe("restores on s3:// addresses", () => {
  it("requests a Bulk restore, says when it is due, lists it in job list, refuses Expedited there", async () => {
    const w = await s3World();
    await writeFile(join(w.dir, "a.txt"), "alpha\n");
    expect((await w.glacier(["vault", "create", "s3://cold"])).exitCode).toBe(0);
    expect((await w.glacier(["archive", "upload", "s3://cold/box", "a.txt"])).exitCode).toBe(0);

    const expedited = await w.glacier(["archive", "retrieve", "--tier", "Expedited", "s3://cold/box", "a.txt"]);
    expect(expedited).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: "glacier: a.txt: DEEP_ARCHIVE objects are restored by the Standard or Bulk tier, not Expedited\n",
    });
    expect(restoreRequests(w)).toEqual([]);

    const now = await w.emulator.control.now();
    const first = await w.glacier(["archive", "retrieve", "--tier", "Bulk", "s3://cold/box", "a.txt"]);
    expect(first.exitCode).toBe(75);
    const eta = /^glacier: info: 'a\.txt': restore expected ready by (\S+); run the same command again then\n/.exec(
      first.stderr,
    );
    expect(eta).not.toBeNull();
    // DEEP_ARCHIVE Bulk: up to 48 h.
    expect(Date.parse(eta![1]!) - now).toBeGreaterThanOrEqual(47 * HOUR * 1000);
    expect(first.stderr.endsWith("glacier: queued retrieval job for archive 'a.txt'\n")).toBe(true);
    expect(restoreRequests(w)).toHaveLength(1);

    const jobs = await w.glacier(["job", "list"]);
    expect(jobs.exitCode).toBe(0);
    expect(jobs.stdout).toMatch(/^a\/p \S+ s3:\/\/cold\/box a\.txt\n$/);

    // A second run finds the restore under way: no new request.
    expect((await w.glacier(["archive", "retrieve", "s3://cold/box", "a.txt"])).exitCode).toBe(75);
    expect(restoreRequests(w)).toHaveLength(1);

    await w.emulator.control.advanceClock(49 * HOUR);
    expect(await w.glacier(["archive", "retrieve", "-o", "-", "s3://cold/box", "a.txt"])).toEqual({
      exitCode: 0,
      stdout: "alpha\n",
      stderr: "",
    });
  });

  it("backs up a tree with multi-upload, reconciles by tree hash, and restores it after one restore wait", async () => {
    const w = await s3World();
    const root = join(w.dir, "tree");
    await mkdir(join(root, "sub"), { recursive: true });
    const files: Record<string, Buffer> = {
      "one.bin": randomBytes(5000),
      "sub/two.bin": randomBytes(70_000),
      "sub/three.txt": Buffer.from("three\n"),
    };
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(root, name), bytes);
    expect((await w.glacier(["vault", "create", "s3://tree-bucket"])).exitCode).toBe(0);
    const upload = await w.glacier(["archive", "multi-upload", "s3://tree-bucket/host", root]);
    expect(upload.exitCode, upload.stderr).toBe(0);

    // Another machine: vault sync learns the bucket at once from the listing.
    const sync = await w.glacier(["--cache-dir", join(w.dir, "other"), "vault", "sync", "s3://tree-bucket/host"]);
    expect(sync.exitCode, sync.stderr).toBe(0);
    const listed = await w.glacier(["--cache-dir", join(w.dir, "other"), "archive", "list", "s3://tree-bucket/host"]);
    expect(listed.stdout.split("\n").filter((l) => !l.startsWith(".glacier-manifest/"))).toEqual([
      "one.bin",
      "sub/three.txt",
      "sub/two.bin",
      "",
    ]);

    // Unchanged files: reconcile (comparing tree hashes from the objects' metadata) has nothing to send.
    const plan = await w.glacier([
      "--cache-dir",
      join(w.dir, "other"),
      "vault",
      "reconcile",
      "s3://tree-bucket/host",
      root,
    ]);
    expect(plan.exitCode, plan.stderr).toBe(0);
    expect(plan.stdout).not.toMatch(/upload/);

    const out = join(w.dir, "restored");
    const first = await w.glacier(["vault", "restore", "s3://tree-bucket/host", out]);
    expect(first.exitCode, first.stderr).toBe(75);
    expect(first.stderr).toMatch(/3 pending, 0 failed; expected ready by \S+; run the same command again then\n$/);
    // Every restore is asked for in the first run.
    expect(restoreRequests(w)).toHaveLength(3);
    expect((await w.glacier(["vault", "restore", "s3://tree-bucket/host", out])).exitCode).toBe(75);
    expect(restoreRequests(w)).toHaveLength(3);

    await w.emulator.control.advanceClock(13 * HOUR);
    const done = await w.glacier(["vault", "restore", "s3://tree-bucket/host", out]);
    expect(done.exitCode, done.stderr).toBe(0);
    for (const [name, bytes] of Object.entries(files))
      expect((await readFile(join(out, name))).equals(bytes)).toBe(true);
  });
});
