// "a corrupt or truncated database file, a journal from a newer version, an
// unwritable directory, a full disk: one clear error, exit 1, and the existing files left as they were."
import { spawn } from "node:child_process";
import { appendFileSync, rmSync, copyFileSync, lstatSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CacheError } from "../../src/core/errors.ts";
import { headerProblem } from "../../src/cache/sqlite.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { buildChild } from "./child.ts";
import { archiveId, open } from "./helpers.ts";

let script: string;
beforeAll(async () => {
  script = await buildChild();
});

async function cacheWithRecords(dir: string, count: number, checkpoint: boolean): Promise<void> {
  const { cache } = await open(dir);
  const numbers = Array.from({ length: count }, (_, k) => k + 1);
  await Promise.all(
    numbers.map((n) => cache.recordUpload("v", { id: archiveId(n), name: `f${n}`, treeHash: null, size: n })),
  );
  if (checkpoint) await cache.checkpoint();
  await cache.close();
}

const snapshot = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString("base64")]));

/** Opening and reading must fail with one CacheError of one line, and leave every file as it was. */
async function expectRefused(dir: string, message: RegExp): Promise<void> {
  const before = snapshot(dir);
  const attempt = (async () => {
    const { cache } = await open(dir);
    await cache.list("v");
  })();
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CacheError);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).not.toContain("\n");
  expect(snapshot(dir)).toEqual(before);
}

describe("damaged and hostile cache files", () => {
  it("drops a torn last journal line with a warning and keeps every complete record", async () => {
    const dir = await tempDir();
    await cacheWithRecords(dir, 3, false);
    appendFileSync(join(dir, "journal"), '{"t":[{"op":"put","row":{"id":"AAAA');
    const { cache, warnings } = await open(dir);
    expect(warnings).toEqual([
      `dropped an incomplete last record from ${join(dir, "journal")} (a write was interrupted)`,
    ]);
    expect((await cache.list("v")).map((a) => a.name)).toEqual(["f1", "f2", "f3"]);
    expect(readFileSync(join(dir, "journal"), "utf8").endsWith("}]}\n")).toBe(true);
    await cache.close();
  });

  it("refuses a journal whose header comes from a newer version", async () => {
    const dir = await tempDir();
    await cacheWithRecords(dir, 2, true);
    writeFileSync(join(dir, "journal"), '{"glacierCacheJournal":2,"generation":1,"nonce":"x"}\n', { mode: 0o600 });
    await expectRefused(dir, /journal was written by a newer version of glacier \(format 2, this one reads 1\)/);
  });

  it("refuses a journal record it does not know as coming from a newer version", async () => {
    const dir = await tempDir();
    await cacheWithRecords(dir, 2, false);
    appendFileSync(join(dir, "journal"), '{"t":[{"op":"tag","id":"x"}]}\n');
    await expectRefused(dir, /newer version of glacier \(unknown record "tag"\)/);
  });

  it("refuses a journal that continues a database which has gone missing", async () => {
    const dir = await tempDir();
    await cacheWithRecords(dir, 2, true);
    await cacheWithRecords(dir, 1, false);
    rmSync(join(dir, "db"));
    await expectRefused(dir, /the journal continues a newer database than .*db; was db replaced\?/);
  });

  it("refuses a journal with a damaged line that is not the last one", async () => {
    const dir = await tempDir();
    await cacheWithRecords(dir, 2, false);
    const journal = readFileSync(join(dir, "journal"), "utf8").split("\n");
    journal[1] = journal[1]!.slice(0, 20);
    writeFileSync(join(dir, "journal"), journal.join("\n"));
    await expectRefused(dir, /the archive cache journal is corrupt at byte \d+/);
  });

  it("refuses a database file that is not SQLite", async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, "db"), "this is not a database, it is a text file that got here somehow".repeat(100));
    await expectRefused(dir, /db: the archive cache database is unusable \(file is not a database\); move it aside/);
  });

  it("refuses a truncated database file", async () => {
    const dir = await tempDir();
    await cacheWithRecords(dir, 400, true);
    const db = readFileSync(join(dir, "db"));
    writeFileSync(join(dir, "db"), db.subarray(0, db.length - 4096));
    await expectRefused(dir, /database file is truncated/);
  });

  it("refuses a database whose pages are damaged", async () => {
    const dir = await tempDir();
    await cacheWithRecords(dir, 400, true);
    const db = readFileSync(join(dir, "db"));
    db.fill(0x5a, 4096, db.length);
    writeFileSync(join(dir, "db"), db);
    expect(headerProblem(db)).toBeNull();
    await expectRefused(dir, /the archive cache database is unusable \(.*malformed.*\)/);
  });

  it("refuses a cache folder that cannot be created", async () => {
    const parent = await tempDir();
    writeFileSync(join(parent, "file"), "");
    await expect(open(join(parent, "file", "glacier-cli"))).rejects.toThrow(
      new CacheError(`cannot create the archive cache folder ${join(parent, "file", "glacier-cli")}: Not a directory`),
    );
  });

  it("reports a full disk once, keeps every record written before it, and leaves the database whole", async () => {
    const dir = await tempDir();
    // A 120 KiB file size limit stands in for a full disk: writes fail part-way (EFBIG), as they do
    // with ENOSPC, and both the journal append and the checkpoint's temporary file hit it.
    const task = JSON.stringify({ mode: "fill", dir, seed: 1, checkpointBytes: 16 * 1024 });
    const child = spawn("bash", ["-c", 'ulimit -f 120 && exec "$0" "$1" "$2"', process.execPath, script, task]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    await new Promise((resolve) => child.on("close", resolve));
    const lines = stdout.trim().split("\n");
    const errors = lines.filter((l) => l.startsWith("error "));
    expect(errors).toEqual([
      `error CacheError: cannot write the archive cache journal ${join(dir, "journal")}: File too large`,
    ]);
    expect(stderr).toMatch(/warning: cannot write .*db: File too large/);
    const recorded = lines.filter((l) => l.startsWith("U ")).map((l) => Number(l.slice(2)));
    expect(recorded.length).toBeGreaterThan(50);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(headerProblem(readFileSync(join(dir, "db")))).toBeNull();
    const { cache } = await open(dir);
    const ids = new Set((await cache.list("v")).map((a) => a.id));
    expect(recorded.filter((n) => !ids.has(archiveId(n)))).toEqual([]);
    await cache.close();
  });

  it("ignores a journal already folded into the database when a crash came between the two renames", async () => {
    const dir = await tempDir();
    const { cache } = await open(dir);
    await cache.recordUpload("v", { id: archiveId(1), name: "a", treeHash: null, size: 1 });
    await cache.markDeleted("v", archiveId(1));
    copyFileSync(join(dir, "journal"), join(dir, "old-journal"));
    await cache.checkpoint();
    await cache.close();
    copyFileSync(join(dir, "old-journal"), join(dir, "journal"));
    const again = (await open(dir)).cache;
    expect((await again.list("v", { includeDeleted: true })).map((a) => a.deletedHere !== null)).toEqual([true]);
    await again.recordUpload("v", { id: archiveId(2), name: "b", treeHash: null, size: 1 });
    await again.close();
    expect(readFileSync(join(dir, "journal"), "utf8")).toMatch(/^\{"glacierCacheJournal":1,"generation":1,/);
    const third = (await open(dir)).cache;
    expect((await third.list("v")).map((a) => a.name)).toEqual(["b"]);
    await third.close();
    // lstat: the lock is a symbolic link, which existsSync would follow.
    expect(lstatSync(join(dir, "lock"), { throwIfNoEntry: false })).toBeUndefined();
  });
});
