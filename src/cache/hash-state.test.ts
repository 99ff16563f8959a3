import { readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/temp-dir.ts";
import { HashState } from "./hash-state.ts";

const A = { size: 10, mtimeMs: 1000, ctimeMs: 1000, ino: 7 };
const HASH = "a".repeat(64);

async function stateFile(cacheDir: string): Promise<string> {
  const [name] = await readdir(join(cacheDir, "hash-state"));
  return join(cacheDir, "hash-state", name!);
}

describe("HashState (what --trust-mtime trusts)", () => {
  it("trusts a recorded hash only while size, mtime, ctime and inode are unchanged, across save and load", async () => {
    const dir = await tempDir();
    const first = await HashState.load(dir, "us-east-1", "v", "/data");
    first.record("bands/0", A, HASH);
    first.save(new Set(["bands/0"]));
    const again = await HashState.load(dir, "us-east-1", "v", "/data");
    expect(again.trusted("bands/0", A)).toBe(HASH);
    expect(again.trusted("bands/0", { ...A, mtimeMs: 1001 })).toBeUndefined();
    expect(again.trusted("bands/0", { ...A, ino: 8 })).toBeUndefined();
  });

  it("leaves the state file untouched when a run records nothing new (a reconcile with no change)", async () => {
    const dir = await tempDir();
    const first = await HashState.load(dir, "us-east-1", "v", "/data");
    first.record("bands/0", A, HASH);
    first.save(new Set(["bands/0"]));
    const path = await stateFile(dir);
    // A marker the save would overwrite: the file is rewritten only when the state changed.
    const text = JSON.stringify({ version: 1, files: { "bands/0": { ...A, treeHash: HASH } } });
    await writeFile(path, `${text}\n`);
    const before = await stat(path);

    const same = await HashState.load(dir, "us-east-1", "v", "/data");
    same.record("bands/0", A, HASH); // hashed again, same result
    same.save(new Set(["bands/0"]));
    const after = await stat(path);
    expect(after.ino).toBe(before.ino);
    expect(after.size).toBe(before.size);
  });

  it("rewrites the state file when a hash changes or a file is forgotten", async () => {
    const dir = await tempDir();
    const first = await HashState.load(dir, "us-east-1", "v", "/data");
    first.record("bands/0", A, HASH);
    first.record("bands/1", A, HASH);
    first.save(new Set(["bands/0", "bands/1"]));

    const changed = await HashState.load(dir, "us-east-1", "v", "/data");
    changed.record("bands/0", { ...A, mtimeMs: 2000 }, "b".repeat(64));
    changed.save(new Set(["bands/0", "bands/1"]));
    expect((await HashState.load(dir, "us-east-1", "v", "/data")).trusted("bands/0", { ...A, mtimeMs: 2000 })).toBe(
      "b".repeat(64),
    );

    const shrunk = await HashState.load(dir, "us-east-1", "v", "/data");
    shrunk.save(new Set(["bands/0"]));
    expect((await HashState.load(dir, "us-east-1", "v", "/data")).trusted("bands/1", A)).toBeUndefined();
  });
});
