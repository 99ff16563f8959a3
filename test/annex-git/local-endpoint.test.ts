// endpoint=local:DIR: the emulator runs inside each remote process over DIR, so git-annex works with
// Glacier's protocol and no AWS account at all (no keys, no endpoint in the environment).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { annexWorld, expectOk } from "./annex-world.ts";

describe("git-annex-remote-glacier with endpoint=local:DIR", () => {
  it("stores, drops and gets back content with no AWS keys or endpoint in the environment", async () => {
    const world = await annexWorld();
    const none = { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_ENDPOINT_URL_GLACIER: "" };
    const repo = await world.repo("local");
    await writeFile(join(repo, "report.pdf"), "quarterly numbers\n");
    await expectOk(world.run("git", ["annex", "add", "-q", "report.pdf"], { cwd: repo, env: none }));
    // A relative folder is kept as an absolute one: git-annex runs the remote from the user's cwd.
    await expectOk(
      world.run(
        "git",
        [
          "annex",
          "initremote",
          "vaults",
          "type=external",
          "externaltype=glacier",
          "encryption=none",
          "endpoint=local:../local-glacier",
        ],
        { cwd: repo, env: none },
      ),
    );
    await expectOk(world.run("git", ["annex", "move", "--to", "vaults", "report.pdf"], { cwd: repo, env: none }));
    const info = await expectOk(world.run("git", ["annex", "info", "vaults"], { cwd: repo, env: none }));
    expect(info.stdout).toContain(`endpoint: local:${join(world.root, "local-glacier")}`);
    await expectOk(world.run("git", ["annex", "get", "report.pdf"], { cwd: repo, env: none }));
    expect(await readFile(join(repo, "report.pdf"), "utf8")).toBe("quarterly numbers\n");
  }, 120_000);
});
