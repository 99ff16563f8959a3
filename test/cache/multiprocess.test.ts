import { execFileSync } from "node:child_process";
import { lstatSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { WriterLock } from "../../src/cache/lock.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { buildChild, spawnChild } from "./child.ts";
import { archiveId, open } from "./helpers.ts";

let script: string;
beforeAll(async () => {
  script = await buildChild();
});

function finish(
  child: ReturnType<typeof spawnChild>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on("close", (code) => {
      resolve({ code, stdout, stderr });
    }),
  );
}

describe("several processes sharing one cache", () => {
  it(
    "loses no update when four writers record at once " + "through checkpoints, and each sees its own records",
    async () => {
      const dir = await tempDir();
      const children = [0, 1, 2, 3].map((k) =>
        spawnChild(script, {
          mode: "burst",
          dir,
          seed: k + 1,
          first: k * 1000,
          count: 150,
          checkpointBytes: 16 * 1024,
        }),
      );
      const results = await Promise.all(children.map(finish));
      for (const r of results) {
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
      }
      const { cache } = await open(dir);
      const ids = new Set((await cache.list("v")).map((a) => a.id));
      const expected = [0, 1, 2, 3].flatMap((k) => Array.from({ length: 150 }, (_, i) => archiveId(k * 1000 + i)));
      expect(expected.filter((id) => !ids.has(id))).toEqual([]);
      expect(ids.size).toBe(600);
      await cache.close();
    },
  );

  it("shows a reader another process's committed records without reopening", async () => {
    const dir = await tempDir();
    const { cache } = await open(dir);
    expect(await cache.list("v")).toEqual([]);
    const r = await finish(spawnChild(script, { mode: "burst", dir, seed: 9, first: 0, count: 30 }));
    expect(r.code).toBe(0);
    expect((await cache.list("v")).length).toBe(30);
    expect((await cache.lookup("v", "file-7.bin")).map((a) => a.id)).toEqual([archiveId(7)]);
    await cache.close();
  });

  it("recovers a lock left by a killed process at once", async () => {
    const dir = await tempDir();
    const dead = Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]));
    writeFileSync(join(dir, "lock"), `${dead} ${hostname()} ${Date.now()}`);
    // No time to wait at all: a writer that had to wait for the lock to age would give up instead.
    const { cache } = await open(dir, { lockTimeoutMs: 0 });
    await cache.recordUpload("v", { id: archiveId(1), name: "a", treeHash: null, size: 1 });
    expect((await cache.lookup("v", "a")).map((a) => a.id)).toEqual([archiveId(1)]);
    await cache.close();
  });

  it("names its holder in the lock from the instant the lock exists, and removes it on release", async () => {
    const dir = await tempDir();
    const path = join(dir, "lock");
    const release = await new WriterLock(path).acquire();
    // One symlink(2) creates the name and its text together: no instant shows an empty lock.
    expect(readlinkSync(path)).toMatch(new RegExp(`^${process.pid} ${hostname()} \\d+`));
    release();
    expect(lstatSync(path, { throwIfNoEntry: false })).toBeUndefined();
  });

  it("recovers at once a symbolic-link lock whose holder was killed", async () => {
    const dir = await tempDir();
    const dead = Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]));
    symlinkSync(`${dead} ${hostname()} ${Date.now()}`, join(dir, "lock"));
    const { cache } = await open(dir, { lockTimeoutMs: 0 });
    await cache.recordUpload("v", { id: archiveId(1), name: "a", treeHash: null, size: 1 });
    expect((await cache.lookup("v", "a")).map((a) => a.id)).toEqual([archiveId(1)]);
    await cache.close();
  });

  it("gives up on a lock held by a live process with one clear error", async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, "lock"), `${process.ppid} ${hostname()} ${Date.now()}`);
    const { cache } = await open(dir, { lockTimeoutMs: 300 });
    await expect(cache.recordUpload("v", { id: archiveId(1), name: "a", treeHash: null, size: 1 })).rejects.toThrow(
      `the archive cache is locked by process ${process.ppid}`,
    );
  });
});
