// The data DIR store: atomic state transactions and clean-up after crashed processes.
import { readFile, readdir, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataStore } from "../../src/emulator/store.ts";
import { tempDir } from "../helpers/temp-dir.ts";

describe("emulator data store", () => {
  it("removes temporary files idle for over an hour at start-up and keeps recent ones", async () => {
    const dir = await tempDir();
    await DataStore.open(dir);
    await writeFile(join(dir, "tmp", "old-upload"), "x");
    await writeFile(join(dir, "tmp", "fresh-upload"), "y");
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(join(dir, "tmp", "old-upload"), twoHoursAgo, twoHoursAgo);
    await DataStore.open(dir);
    expect(await readdir(join(dir, "tmp"))).toEqual(["fresh-upload"]);
  });

  it("saves a transaction's changes and discards those of one that throws", async () => {
    const dir = await tempDir();
    const store = await DataStore.open(dir);
    await store.transact(async (state) => {
      state.clockOffsetMs = 5;
      return { result: undefined, changed: true };
    });
    await expect(store.transact(async (state) => {
      state.clockOffsetMs = 99;
      throw new Error("refused");
    })).rejects.toThrow("refused");
    const offset = await store.transact(async (state) => ({ result: state.clockOffsetMs, changed: false }));
    expect(offset).toBe(5);
    expect(JSON.parse(await readFile(join(dir, "state.json"), "utf8"))).toMatchObject({ clockOffsetMs: 5 });
  });
});
