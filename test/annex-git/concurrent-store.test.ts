// One archive per key across processes: two clones sharing one archive cache each run
// `git annex copy -J4 --to` of the same 20 files at once (8 remote processes, and git-annex's
// transfer lock is per repository, so it does not keep the two clones apart). The per-key lock
// in the cache makes the later STORE of a key wait and find the archive the other one stored.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { annexWorld, expectOk } from "./annex-world.ts";

const FILES = 20;

describe("two clones storing the same keys at once", () => {
  it("leave exactly one archive per key", async () => {
    const world = await annexWorld({ jobDelays: { Standard: 0 } });
    const first = await world.repo("first");
    for (let i = 0; i < FILES; i++) await writeFile(join(first, `file${i}.txt`), `content of file ${i}\n`);
    await expectOk(world.run("git", ["annex", "add", "-q", "."], { cwd: first }));
    await expectOk(world.run("git", ["commit", "-qm", "files"], { cwd: first }));
    await expectOk(
      world.run(
        "git",
        ["annex", "initremote", "glacier", "type=external", "externaltype=glacier", "encryption=none", "vault=shared"],
        { cwd: first },
      ),
    );
    const second = join(world.root, "second");
    await expectOk(world.run("git", ["clone", "-q", first, second], { cwd: world.root }));
    await expectOk(world.run("git", ["annex", "init", "-q", "second"], { cwd: second }));
    await expectOk(world.run("git", ["annex", "enableremote", "glacier"], { cwd: second }));
    await expectOk(world.run("git", ["annex", "get", "-q", "."], { cwd: second }));

    // Same HOME, so one archive cache for both clones.
    const copies = await Promise.all(
      [first, second].map((cwd) => world.run("git", ["annex", "copy", "-J4", "--to", "glacier", "."], { cwd })),
    );
    for (const copy of copies) expect(copy.exitCode, copy.all).toBe(0);
    const state = await world.emulator.control.dumpState();
    const names = Object.values(state.vaults["shared"]!.archives).map((archive) => archive.description);
    expect(names).toHaveLength(FILES);
    expect(new Set(names).size).toBe(FILES);
    for (const cwd of [first, second]) {
      const fsck = await expectOk(world.run("git", ["annex", "fsck", "--from", "glacier", "--fast", "."], { cwd }));
      expect(fsck.stdout.match(/ok$/gm)).toHaveLength(FILES);
    }
  }, 300_000);
});
