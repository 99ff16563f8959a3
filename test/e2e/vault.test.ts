import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld } from "../helpers/cli-env.ts";
import { runGlacier } from "../helpers/run-bin.ts";
import { tempDir } from "../helpers/temp-dir.ts";

describe("glacier vault list / create / delete", () => {
  it("prints one empty line when the region has no vaults, as glacier-cli does", async () => {
    const world = await cliWorld();
    expect(await world.glacier(["vault", "list"])).toEqual({ exitCode: 0, stdout: "\n", stderr: "" });
  });

  it("creates vaults idempotently and lists them one per line", async () => {
    const world = await cliWorld();
    expect(await world.glacier(["vault", "create", "photos"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect((await world.glacier(["--region=us-east-1", "vault", "create", "photos"])).exitCode).toBe(0);
    expect((await world.glacier(["vault", "create", "backups.2026"])).exitCode).toBe(0);
    expect(await world.glacier(["vault", "list"])).toEqual({
      exitCode: 0,
      stdout: "backups.2026\nphotos\n",
      stderr: "",
    });
  });

  it("treats __proto__ (a valid Glacier vault name) as any other vault", async () => {
    const world = await cliWorld();
    const file = join(world.dir, "notes.txt");
    await writeFile(file, "proto vault bytes\n");
    expect((await world.glacier(["vault", "create", "__proto__"])).exitCode).toBe(0);
    expect((await world.glacier(["vault", "create", "other"])).exitCode).toBe(0);
    expect(await world.glacier(["archive", "upload", "__proto__", file])).toMatchObject({ exitCode: 0, stderr: "" });
    expect(await world.glacier(["vault", "list"])).toEqual({ exitCode: 0, stdout: "__proto__\nother\n", stderr: "" });
    expect(await world.glacier(["archive", "list", "__proto__"])).toEqual({
      exitCode: 0,
      stdout: "notes.txt\n",
      stderr: "",
    });
    expect(await world.glacier(["archive", "list", "other"])).toEqual({
      exitCode: 0,
      stdout: "",
      stderr:
        "glacier: info: the archive cache has no record of any archive in vault 'other' (none uploaded or " +
        "deleted from here, none seen in an inventory): 'glacier vault sync other' records what the vault " +
        "holds\n",
    });
  });

  it("refuses an invalid vault name before any request as a usage error (exit 2)", async () => {
    const world = await cliWorld();
    const result = await world.glacier(["vault", "create", "bad/name"]);
    expect(result).toEqual({
      exitCode: 2,
      stdout: "",
      stderr:
        "glacier: invalid vault name 'bad/name': it contains other characters; a vault name has 1 to 255 " +
        "characters of a-z, A-Z, 0-9, '_', '-' and '.'\n",
    });
    expect(world.emulator.control.requestLog()).toEqual([]);
  });

  it("deletes an empty vault and reports a missing one in one line", async () => {
    const world = await cliWorld();
    await world.glacier(["vault", "create", "old"]);
    expect(await world.glacier(["vault", "delete", "old"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(await world.glacier(["vault", "delete", "old"])).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: "glacier: vault 'old' not found in region us-east-1\n",
    });
  });

  it("works with no AWS account on the embedded emulator (local:DIR)", async () => {
    const dir = await tempDir();
    const env = { PATH: process.env.PATH ?? "", HOME: dir, XDG_CACHE_HOME: `${dir}/cache` };
    const opts = { env, extendEnv: false };
    expect((await runGlacier(["--endpoint-url", `local:${dir}/vaults`, "vault", "create", "v"], opts)).exitCode).toBe(
      0,
    );
    expect(await runGlacier(["--endpoint-url", `local:${dir}/vaults`, "vault", "list"], opts)).toEqual({
      exitCode: 0,
      stdout: "v\n",
      stderr: "",
    });
  });

  it("fails in one line when nothing listens at the endpoint", async () => {
    const world = await cliWorld();
    const result = await world.glacier(["vault", "list"], { env: { AWS_ENDPOINT_URL_GLACIER: "http://127.0.0.1:9" } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^glacier: [^\n]*(refused|connect)[^\n]*\n$/i);
  });
});

describe("git-annex's probe", () => {
  it("exits non-zero for --compatibility-test-git-annex, so git-annex knows this is not boto's glacier", async () => {
    const result = await runGlacier(["--compatibility-test-git-annex"]);
    expect(result.exitCode).toBe(2);
  });
});
