// git-annex-remote-glacier on S3 (docs/annex-s3.md) with real git-annex against the emulator's S3 API:
// `bucket=` makes the remote's address s3://BUCKET/PREFIX, testremote passes, and a chunked file in
// DEEP_ARCHIVE comes back after one restore wait: the first get requests the restore of every chunk
// at once and records the requests in the git-annex branch, where a second clone finds them.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RestoreDelays } from "../../src/emulator/s3/restore.ts";
import { annexWorld, expectOk, type AnnexWorld } from "./annex-world.ts";

const HOUR = 3600;
const NO_WAIT: RestoreDelays = {
  GLACIER: { Expedited: 0, Standard: 0, Bulk: 0 },
  DEEP_ARCHIVE: { Standard: 0, Bulk: 0 },
};

async function s3Remote(world: AnnexWorld, repo: string, settings: string[]): Promise<void> {
  await expectOk(
    world.run(
      "git",
      [
        "annex",
        "initremote",
        "s3",
        "type=external",
        "externaltype=glacier",
        "bucket=annex-bucket",
        "prefix=annex",
        `endpoint=${world.emulator.url}`,
        ...settings,
      ],
      { cwd: repo },
    ),
  );
}

const operations = (world: AnnexWorld, operation: string) =>
  world.emulator.control.requestLog().filter((entry) => entry.operation === operation);

async function bucketObjects(world: AnnexWorld) {
  const state = await world.emulator.control.dumpState();
  return Object.values(state.s3?.buckets["annex-bucket"]?.objects ?? {});
}

describe("git-annex-remote-glacier on S3", () => {
  for (const [encryption, chunk] of [
    ["none", undefined],
    ["none", "256KiB"],
    ["shared", undefined],
    ["shared", "256KiB"],
  ] as const) {
    const chunked = chunk ? ` and chunk=${chunk}` : "";
    it(`passes git annex testremote --fast with encryption=${encryption}${chunked}`, async () => {
      const world = await annexWorld({ restoreDelays: NO_WAIT });
      const repo = await world.repo("testremote");
      await s3Remote(world, repo, [`encryption=${encryption}`, ...(chunk ? [`chunk=${chunk}`] : [])]);
      const result = await world.run("git", ["annex", "testremote", "s3", "--fast"], { cwd: repo });
      expect(result.all).toMatch(/All \d+ tests passed/);
      expect(result.all).not.toMatch(/FAIL/);
      expect(result.exitCode).toBe(0);
      // Every object went to the bucket under the prefix, in DEEP_ARCHIVE, and was restored to be read.
      const puts = operations(world, "PutObject");
      expect(puts.length).toBeGreaterThan(0);
      expect(puts.every((entry) => entry.path.startsWith("/annex-bucket/annex/"))).toBe(true);
      expect(operations(world, "RestoreObject").length).toBeGreaterThan(0);
    }, 240_000);
  }

  it("refuses vault= with bucket=, in one line naming both", async () => {
    const world = await annexWorld();
    const repo = await world.repo("both");
    const result = await world.run(
      "git",
      ["annex", "initremote", "s3", "type=external", "externaltype=glacier", "encryption=none", "vault=v", "bucket=b1"],
      { cwd: repo },
    );
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(/vault=v and bucket=b1 exclude each other/);
  }, 60_000);

  it("answers CHECKPRESENT from S3 itself: an object deleted behind its back is missing to fsck --from", async () => {
    const world = await annexWorld();
    const repo = await world.repo("presence");
    await writeFile(join(repo, "kept.txt"), "kept\n");
    await writeFile(join(repo, "lost.txt"), "lost\n");
    await expectOk(world.run("git", ["annex", "add", "-q", "."], { cwd: repo }));
    await expectOk(world.run("git", ["commit", "-qm", "files"], { cwd: repo }));
    await s3Remote(world, repo, ["encryption=none"]);
    await expectOk(world.run("git", ["annex", "copy", "--to", "s3", "."], { cwd: repo }));
    const key = (await expectOk(world.run("git", ["annex", "lookupkey", "lost.txt"], { cwd: repo }))).stdout.trim();
    const deleted = await world.run("glacier", ["archive", "delete", "s3://annex-bucket/annex", key], {
      cwd: repo,
      env: { AWS_ENDPOINT_URL_S3: world.emulator.url },
    });
    expect(deleted.exitCode, deleted.all).toBe(0);
    const heads = operations(world, "HeadObject").length;
    const fsck = await world.run("git", ["annex", "fsck", "--from", "s3", "--fast"], { cwd: repo });
    expect(fsck.exitCode).toBe(1);
    expect(fsck.stdout).toMatch(/^fsck kept\.txt .*ok$/m);
    expect(fsck.all).toMatch(/fsck lost\.txt[\s\S]*failed/);
    expect(operations(world, "HeadObject").length - heads).toBe(2);
  }, 120_000);

  it("gets a chunked DEEP_ARCHIVE file after one wait, every restore asked at once, a clone waiting too", async () => {
    const world = await annexWorld();
    const repo = await world.repo("first");
    const content = Buffer.alloc(40 * 1024, 7);
    for (let i = 0; i < content.length; i += 97) content[i] = i % 251;
    await writeFile(join(repo, "disk.img"), content);
    await expectOk(world.run("git", ["annex", "add", "-q", "disk.img"], { cwd: repo }));
    await expectOk(world.run("git", ["commit", "-qm", "image"], { cwd: repo }));
    await s3Remote(world, repo, ["encryption=none", "chunk=4KiB", "storageclass=DEEP_ARCHIVE", "restoredays=3"]);
    await expectOk(world.run("git", ["annex", "copy", "--to", "s3", "disk.img"], { cwd: repo }));
    const objects = await bucketObjects(world);
    expect(objects).toHaveLength(10);
    expect(objects.every((o) => o.storageClass === "DEEP_ARCHIVE" && o.key.startsWith("annex/"))).toBe(true);
    await expectOk(world.run("git", ["annex", "drop", "disk.img"], { cwd: repo }));

    const first = await world.run("git", ["annex", "get", "disk.img"], { cwd: repo });
    expect(first.exitCode).toBe(1);
    const time = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d UTC`;
    expect(first.stderr).toMatch(
      new RegExp(
        String.raw`Standard restore requested now \(${time}\); 9 more chunks of this file requested now; ` +
          `not available yet, expected by ${time}: run git annex get --failed then`,
      ),
    );
    // DEEP_ARCHIVE's Standard tier: ready within 12 hours of the request.
    const [requestedAt, readyAt] = [...first.stderr.matchAll(/(\d{4}-\d\d-\d\d \d\d:\d\d) UTC/g)].map((m) =>
      Date.parse(`${m[1] ?? ""}Z`),
    );
    expect((readyAt ?? 0) - (requestedAt ?? 0)).toBe(12 * HOUR * 1000);
    const restores = operations(world, "RestoreObject");
    expect(restores.map((r) => r.status)).toEqual(Array(10).fill(202));
    expect(new Set(restores.map((r) => r.path)).size).toBe(10);
    const restored = await bucketObjects(world);
    expect(restored.every((o) => o.restore?.tier === "Standard" && o.restore.days === 3)).toBe(true);

    // Another clone pulls the git-annex branch: it sees the requests and asks for nothing again.
    const clone = join(world.root, "second");
    const elsewhere = { GLACIER_CACHE_DIR: join(world.root, "second-cache") };
    await expectOk(world.run("git", ["clone", "-q", repo, clone], { cwd: world.root, env: elsewhere }));
    await expectOk(world.run("git", ["annex", "init", "-q", "second"], { cwd: clone, env: elsewhere }));
    await expectOk(world.run("git", ["annex", "enableremote", "s3"], { cwd: clone, env: elsewhere }));
    const waiting = await world.run("git", ["annex", "get", "disk.img"], { cwd: clone, env: elsewhere });
    expect(waiting.exitCode).toBe(1);
    expect(waiting.stderr).toMatch(
      new RegExp(
        String.raw`Standard restore requested ${time} \(recorded in the git-annex branch\); ` +
          `9 more already under way; not available yet, expected by ${time}`,
      ),
    );
    expect(operations(world, "RestoreObject")).toHaveLength(10);

    await world.emulator.control.advanceClock(12 * HOUR + 60);
    const second = await expectOk(world.run("git", ["annex", "get", "disk.img"], { cwd: repo }));
    expect(second.stdout).toMatch(/^get disk\.img \(from s3\.\.\.\).*ok$/ms);
    expect(await readFile(join(repo, "disk.img"))).toEqual(content);
    expect(operations(world, "GetObject").filter((g) => g.status === 200 || g.status === 206)).toHaveLength(10);
    const fromClone = await expectOk(world.run("git", ["annex", "get", "disk.img"], { cwd: clone, env: elsewhere }));
    expect(fromClone.stdout).toMatch(/ok$/m);
    expect(await readFile(join(clone, "disk.img"))).toEqual(content);
    expect(operations(world, "RestoreObject")).toHaveLength(10);
  }, 180_000);
});
