// Cache damage is never silent: a lost journal, a journal that is not a file and a corrupt journal
// each give one line that says what happened and how to recover (docs/cache.md#damage-and-recovery).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CacheError } from "../../src/core/errors.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { archiveId, open } from "./helpers.ts";

const RECOVERY = 'run "glacier vault sync --max-age 0 VAULT" for each vault to take its records from a fresh inventory';

async function record(dir: string, numbers: readonly number[], checkpointAfter: boolean): Promise<void> {
  const { cache } = await open(dir);
  for (const n of numbers) await cache.recordUpload("v", { id: archiveId(n), name: `f${n}`, treeHash: null, size: n });
  if (checkpointAfter) await cache.checkpoint();
  await cache.close();
}

async function openError(dir: string): Promise<Error> {
  const error = await (async () => {
    const { cache } = await open(dir);
    await cache.list("v");
  })().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CacheError);
  return error as Error;
}

describe("cache damage", () => {
  it(
    "says when the journal was deleted after a checkpoint, how to recover, and opens with what the database " + "holds",
    async () => {
      const dir = await tempDir();
      await record(dir, [1, 2], true);
      await record(dir, [3], false);
      rmSync(join(dir, "journal"));
      const { cache, warnings } = await open(dir);
      expect(warnings).toEqual([
        `${join(dir, "journal")} is missing (${join(dir, "db")} was checkpointed): archives recorded since ` +
          `then may be missing from the cache; ${RECOVERY}`,
      ]);
      expect((await cache.list("v")).map((a) => a.name)).toEqual(["f1", "f2"]);
      // The next write starts a new journal, and the cache is quiet again.
      await cache.recordUpload("v", { id: archiveId(4), name: "f4", treeHash: null, size: 4 });
      await cache.close();
      const again = await open(dir);
      expect(again.warnings).toEqual([]);
      expect((await again.cache.list("v")).map((a) => a.name)).toEqual(["f1", "f2", "f4"]);
      await again.cache.close();
    },
  );

  it("says nothing about a journal that never existed (a cache never checkpointed)", async () => {
    const dir = await tempDir();
    const { cache, warnings } = await open(dir);
    expect(await cache.list("v")).toEqual([]);
    expect(warnings).toEqual([]);
    await cache.close();
  });

  it("refuses a journal that is a folder in one line that says what to do", async () => {
    const dir = await tempDir();
    await record(dir, [1], true);
    rmSync(join(dir, "journal"));
    mkdirSync(join(dir, "journal"));
    const error = await openError(dir);
    expect(error.message).toBe(
      `${join(dir, "journal")}: the archive cache journal is not a regular file; move it aside and ${RECOVERY}`,
    );
  });

  it("says what to do about a journal that is corrupt before its last line", async () => {
    const dir = await tempDir();
    await record(dir, [1, 2], false);
    const lines = readFileSync(join(dir, "journal"), "utf8").split("\n");
    lines[1] = lines[1]!.slice(0, 20);
    writeFileSync(join(dir, "journal"), lines.join("\n"));
    const error = await openError(dir);
    expect(error.message).toMatch(
      new RegExp(
        `journal: the archive cache journal is corrupt at byte \\d+; move it aside and ` +
          `${RECOVERY.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`,
      ),
    );
  });
});
