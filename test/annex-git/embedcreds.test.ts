// Credentials (docs/annex-protocol.md#messages SETCREDS/GETCREDS): the keys in the environment at initremote
// are remembered for the remote; with embedcreds=yes they travel in the git-annex branch, so a clone
// on a machine without AWS keys in its environment can still reach the vault.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { annexWorld, expectOk } from "./annex-world.ts";

describe("git-annex-remote-glacier credentials", () => {
  it("reach a clone without AWS keys in its environment through the git-annex branch with embedcreds=yes", async () => {
    const world = await annexWorld();
    const repo = await world.repo("first");
    await writeFile(join(repo, "thesis.tex"), "\\documentclass{article}\n");
    await expectOk(world.run("git", ["annex", "add", "-q", "."], { cwd: repo }));
    await expectOk(world.run("git", ["commit", "-qm", "thesis"], { cwd: repo }));
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
          "embedcreds=yes",
        ],
        { cwd: repo },
      ),
    );
    await expectOk(world.run("git", ["annex", "copy", "--to", "glacier", "."], { cwd: repo }));

    const clone = join(world.root, "second");
    const noKeys = {
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      GLACIER_CACHE_DIR: join(world.root, "second-cache"),
    };
    await expectOk(world.run("git", ["clone", "-q", repo, clone], { cwd: world.root, env: noKeys }));
    await expectOk(world.run("git", ["annex", "init", "-q", "second"], { cwd: clone, env: noKeys }));
    await expectOk(world.run("git", ["annex", "enableremote", "glacier"], { cwd: clone, env: noKeys }));
    await expectOk(world.run("git", ["remote", "remove", "origin"], { cwd: clone }));
    const get = await world.run("git", ["annex", "get", "thesis.tex"], { cwd: clone, env: noKeys });
    expect(get.all).not.toMatch(/credentials/i);
    expect(get.exitCode).toBe(0);
    expect(await readFile(join(clone, "thesis.tex"), "utf8")).toBe("\\documentclass{article}\n");
  }, 120_000);

  it("are missing in a clone without embedcreds, and enableremote says so without a crash", async () => {
    const world = await annexWorld();
    const repo = await world.repo("first");
    await writeFile(join(repo, "notes.txt"), "notes\n");
    await expectOk(world.run("git", ["annex", "add", "-q", "."], { cwd: repo }));
    await expectOk(world.run("git", ["commit", "-qm", "notes"], { cwd: repo }));
    await expectOk(
      world.run("git", ["annex", "initremote", "glacier", "type=external", "externaltype=glacier", "encryption=none"], {
        cwd: repo,
      }),
    );
    await expectOk(world.run("git", ["annex", "copy", "--to", "glacier", "."], { cwd: repo }));

    const clone = join(world.root, "second");
    const noKeys = {
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      GLACIER_CACHE_DIR: join(world.root, "second-cache"),
    };
    await expectOk(world.run("git", ["clone", "-q", repo, clone], { cwd: world.root, env: noKeys }));
    await expectOk(world.run("git", ["annex", "init", "-q", "second"], { cwd: clone, env: noKeys }));
    const enable = await world.run("git", ["annex", "enableremote", "glacier"], { cwd: clone, env: noKeys });
    expect(enable.exitCode).toBe(1);
    expect(enable.stderr).toMatch(
      /no AWS credentials found: .* or initialise the remote with embedcreds=yes, or use endpoint=local:DIR/,
    );
    expect(enable.stderr).not.toMatch(/ at .*\.js:\d+/);
  }, 120_000);
});
