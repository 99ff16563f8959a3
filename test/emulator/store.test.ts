// The data DIR store: state transactions (a snapshot and a change log shared by processes) and
// clean-up after crashed processes.
import { appendFile, readFile, readdir, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EmulatorState } from "../../src/emulator/state.ts";
import { DataStore } from "../../src/emulator/store.ts";
import { tempDir } from "../helpers/temp-dir.ts";

/** DataStore.transact takes an async function; these tests change and read the state synchronously
 * (a throw still becomes the transaction's rejection). */
const sync =
  <T>(fn: (state: EmulatorState) => T) =>
  (state: EmulatorState): Promise<T> =>
    Promise.resolve().then(() => fn(state));

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
    await store.transact(
      sync((state) => {
        state.clockOffsetMs = 5;
      }),
    );
    await expect(
      store.transact(
        sync((state) => {
          state.clockOffsetMs = 99;
          throw new Error("refused");
        }),
      ),
    ).rejects.toThrow("refused");
    const offset = await store.transact(sync((state) => state.clockOffsetMs));
    expect(offset).toBe(5);
    expect(await new DataStore(dir).transact(sync((state) => state.clockOffsetMs))).toBe(5);
  });

  it("shows each of two stores on one DIR what the other changed", async () => {
    const dir = await tempDir();
    const [a, b] = [await DataStore.open(dir), await DataStore.open(dir)];
    await a.transact(
      sync((state) => {
        state.clockOffsetMs = 1;
      }),
    );
    expect(await b.transact(sync((state) => state.clockOffsetMs))).toBe(1);
    await b.transact(
      sync((state) => {
        state.jobs["j"] = { id: "j" } as never;
      }),
    );
    await a.transact(
      sync((state) => {
        delete state.jobs["j"];
        state.clockOffsetMs = 2;
      }),
    );
    expect(await b.transact(sync((state) => [state.clockOffsetMs, Object.keys(state.jobs)]))).toEqual([2, []]);
  });

  it("appends a transaction's changes to state.log and leaves state.json alone", async () => {
    const dir = await tempDir();
    const store = await DataStore.open(dir);
    await store.transact(
      sync((state) => {
        state.clockOffsetMs = 1;
      }),
    );
    const snapshot = await readFile(join(dir, "state.json"), "utf8");
    await store.transact(
      sync((state) => {
        state.clockOffsetMs = 2;
      }),
    );
    expect(await readFile(join(dir, "state.json"), "utf8")).toBe(snapshot);
    const lines = (await readFile(join(dir, "state.log"), "utf8")).split("\n");
    expect(JSON.parse(lines.at(-2)!)).toMatchObject({ c: [[["clockOffsetMs"], 2]] });
  });

  it("ignores a last log line a killed process left half-written, and appends after the whole lines", async () => {
    const dir = await tempDir();
    await DataStore.open(dir).then((s) =>
      s.transact(
        sync((state) => {
          state.clockOffsetMs = 1;
        }),
      ),
    );
    await appendFile(join(dir, "state.log"), '{"t":0,"c":[[["clockOffsetMs"],9');
    const store = await DataStore.open(dir);
    expect(await store.transact(sync((state) => state.clockOffsetMs))).toBe(1);
    await store.transact(
      sync((state) => {
        state.clockOffsetMs = 3;
      }),
    );
    expect(await new DataStore(dir).transact(sync((state) => state.clockOffsetMs))).toBe(3);
    expect(await readFile(join(dir, "state.log"), "utf8")).not.toContain(",9");
  });

  it("folds a log grown past the snapshot into a new snapshot and keeps every record", async () => {
    const dir = await tempDir();
    const store = await DataStore.open(dir);
    const other = await DataStore.open(dir);
    for (let i = 0; i < 8; i++)
      await store.transact(
        sync((state) => {
          state.jobs[`j${i}`] = { id: `j${i}`, description: "x".repeat(200_000) } as never;
        }),
      );
    expect((await stat(join(dir, "state.log"))).size).toBeLessThan(200_000);
    const snapshot = JSON.parse(await readFile(join(dir, "state.json"), "utf8")) as { jobs: Record<string, unknown> };
    expect(snapshot.jobs).toHaveProperty("j6");
    expect(await other.transact(sync((state) => Object.keys(state.jobs)))).toEqual([
      "j0",
      "j1",
      "j2",
      "j3",
      "j4",
      "j5",
      "j6",
      "j7",
    ]);
  });

  it(
    "ignores a log that a compaction stopped between " + "its two renames left behind (the snapshot holds it)",
    async () => {
      const dir = await tempDir();
      const store = await DataStore.open(dir);
      await store.transact(
        sync((state) => {
          state.clockOffsetMs = 1;
        }),
      );
      await store.transact(
        sync((state) => {
          state.clockOffsetMs = 2;
        }),
      );
      // The new snapshot was renamed into place, the new log not yet: state.log still names the old one.
      const snapshot = JSON.parse(await readFile(join(dir, "state.json"), "utf8")) as Record<string, unknown>;
      await writeFile(
        join(dir, "state.json"),
        JSON.stringify({ ...snapshot, clockOffsetMs: 2, log: "0123456789abcdef" }),
      );
      const fresh = new DataStore(dir);
      expect(await fresh.transact(sync((state) => state.clockOffsetMs))).toBe(2);
      await fresh.transact(
        sync((state) => {
          state.clockOffsetMs = 4;
        }),
      );
      expect(await new DataStore(dir).transact(sync((state) => state.clockOffsetMs))).toBe(4);
    },
  );

  it("keeps a value derived from the records until they change, in this process or in another", async () => {
    const dir = await tempDir();
    const [store, other] = [await DataStore.open(dir), await DataStore.open(dir)];
    let computed = 0;
    const derive = () => store.transact(sync((state) => store.memo("offset", () => (computed++, state.clockOffsetMs))));
    expect([await derive(), await derive()]).toEqual([0, 0]);
    expect(computed).toBe(1);
    await other.transact(
      sync((state) => {
        state.clockOffsetMs = 7;
      }),
    );
    expect(await derive()).toBe(7);
    await store.transact(
      sync((state) => {
        state.clockOffsetMs = 8;
      }),
    );
    expect([await derive(), await derive()]).toEqual([8, 8]);
    expect(computed).toBe(3);
  });
});
