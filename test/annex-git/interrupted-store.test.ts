// A `git annex copy --to` killed with kill -9 in the middle of a multipart upload leaves an open
// upload record whose owner (host, pid, process start) is gone: the next copy answers CHECKPRESENT
// absent instead of "still uploading", resumes the upload from the parts Glacier kept, and leaves
// one archive; `glacier vault sync` forgets a record whose upload Glacier has dropped meanwhile.
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { execa } from "execa";
import { describe, expect, it, onTestFinished } from "vitest";
import { annexWorld, expectOk, type AnnexWorld } from "./annex-world.ts";

const VAULT = "interrupted";
const MiB = 1 << 20;

async function bigFileRepo(world: AnnexWorld): Promise<string> {
  const repo = await world.repo("repo");
  await writeFile(join(repo, "big.bin"), randomBytes(3 * MiB));
  await expectOk(world.run("git", ["annex", "add", "-q", "big.bin"], { cwd: repo }));
  await expectOk(world.run("git", ["commit", "-qm", "big"], { cwd: repo }));
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
        `vault=${VAULT}`,
        "partsize=1MiB",
      ],
      { cwd: repo },
    ),
  );
  return repo;
}

const count = (world: AnnexWorld, operation: string, status?: number) =>
  world.emulator.control
    .requestLog()
    .filter((entry) => entry.operation === operation && (status === undefined || entry.status === status)).length;

async function archiveCount(world: AnnexWorld): Promise<number> {
  return Object.keys((await world.emulator.control.dumpState()).vaults[VAULT]?.archives ?? {}).length;
}

/** Starts a copy whose third part never gets an answer, and kills its process group once two parts are stored. */
async function killMidUpload(world: AnnexWorld, repo: string): Promise<void> {
  world.emulator.control.setFaults("latency,op=UploadMultipartPart,nth=3,ms=600000");
  const copy = execa("git", ["annex", "copy", "--to", "glacier", "big.bin"], {
    cwd: repo,
    env: world.env,
    extendEnv: false,
    detached: true,
    reject: false,
    stdin: "ignore",
  });
  onTestFinished(() => void copy.catch(() => undefined));
  // Polls the emulator's record of answered requests, not a clock: two parts stored, the third held.
  while (count(world, "UploadMultipartPart", 204) < 2) {
    if (copy.exitCode !== null) throw new Error(`the copy ended early: ${String(copy.exitCode)}`);
    await delay(50);
  }
  process.kill(-copy.pid!, "SIGKILL");
  await copy;
  world.emulator.control.setFaults("");
}

describe("git annex copy --to killed mid-upload", () => {
  it("is resumed by the next copy, which leaves one archive and sends only the missing part", async () => {
    const world = await annexWorld({ jobDelays: { Standard: 0 } });
    const repo = await bigFileRepo(world);
    await killMidUpload(world, repo);
    expect(await archiveCount(world)).toBe(0);

    const again = await world.run("git", ["annex", "copy", "--to", "glacier", "big.bin"], { cwd: repo });
    expect(again.all).not.toContain("has not completed yet");
    expect(again.exitCode).toBe(0);
    expect(await archiveCount(world)).toBe(1);
    expect(count(world, "InitiateMultipartUpload")).toBe(1);
    expect(count(world, "UploadMultipartPart", 204)).toBe(3);
    const fsck = await expectOk(
      world.run("git", ["annex", "fsck", "--from", "glacier", "--fast", "big.bin"], { cwd: repo }),
    );
    expect(fsck.stdout).toMatch(/ok$/m);
  }, 120_000);

  it(
    "is forgotten by glacier vault sync once Glacier has " + "dropped the upload, and the next copy starts over",
    async () => {
      const world = await annexWorld({ jobDelays: { Standard: 0 } });
      const repo = await bigFileRepo(world);
      await killMidUpload(world, repo);
      // Glacier reclaims a multipart upload idle for a day.
      await world.emulator.control.advanceClock(25 * 3600);
      const sync = await world.run("glacier", ["vault", "sync", VAULT], { cwd: repo });
      const forgot = /glacier: info: forgot the upload of 'SHA256E-s3145728--[0-9a-f]{64}\.bin' started \S+: /.source;
      expect(sync.stderr).toMatch(
        new RegExp(forgot + /its process is gone and Glacier no longer has the upload/.source),
      );

      await expectOk(world.run("git", ["annex", "copy", "--to", "glacier", "big.bin"], { cwd: repo }));
      expect(await archiveCount(world)).toBe(1);
      expect(count(world, "InitiateMultipartUpload")).toBe(2);
    },
    120_000,
  );
});
