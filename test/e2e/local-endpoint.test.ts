// local:DIR, the embedded default: every command completes with no second process (jobs and
// inventories reflect the vault at once), while glacier-emulator serving the same DIR keeps
// Glacier's delays.
import { execa } from "execa";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it, onTestFinished } from "vitest";
import { ROOT, runGlacier, userEnv } from "../helpers/run-bin.ts";
import { tempDir } from "../helpers/temp-dir.ts";

async function localWorld() {
  const root = await tempDir("glacier-local-");
  const home = join(root, "home");
  await mkdir(home);
  const data = join(root, "vaults");
  const env = { ...userEnv(home, `local:${data}`), AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" };
  const glacier = (args: readonly string[]) => runGlacier(args, { cwd: root, env, extendEnv: false });
  return { root, home, data, env, glacier };
}

describe("local:DIR completes every command with no second process", () => {
  it("syncs, retrieves and deletes an emptied vault on the first run of each command", async () => {
    const w = await localWorld();
    await writeFile(join(w.root, "notes.txt"), "local notes\n");
    expect(await w.glacier(["vault", "create", "v"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(await w.glacier(["archive", "upload", "v", "notes.txt"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    // A second cache (another machine) learns the vault's contents from the inventory at once.
    const other = await runGlacier(["--cache-dir", join(w.root, "other-cache"), "vault", "sync", "v"], {
      cwd: w.root,
      env: w.env,
      extendEnv: false,
    });
    expect(other.exitCode).toBe(0);
    expect(other.stderr).toMatch(
      /^glacier: warning: archive notes\.txt \(\S+\) present upstream but not in cache - added\n$/,
    );
    expect(await w.glacier(["vault", "sync", "v"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(await w.glacier(["archive", "retrieve", "-o", "back.txt", "v", "notes.txt"])).toEqual({
      exitCode: 0,
      stdout: "",
      stderr: "",
    });
    expect(await readFile(join(w.root, "back.txt"), "utf8")).toBe("local notes\n");
    expect(await w.glacier(["archive", "delete", "v", "notes.txt"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(await w.glacier(["vault", "delete", "v"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(await w.glacier(["vault", "list"])).toEqual({ exitCode: 0, stdout: "\n", stderr: "" });
  });

  it("while glacier-emulator serving the same DIR keeps Glacier's inventory delay", async () => {
    const w = await localWorld();
    await writeFile(join(w.root, "notes.txt"), "served notes\n");
    expect((await w.glacier(["vault", "create", "v"])).exitCode).toBe(0);
    expect((await w.glacier(["archive", "upload", "v", "notes.txt"])).exitCode).toBe(0);
    const server = execa(process.execPath, [`${ROOT}bin/glacier-emulator.js`, "--data", w.data], { reject: false });
    onTestFinished(async () => {
      server.kill("SIGTERM");
      await server;
    });
    const url = await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once("line", resolve));
    const served = await runGlacier(["--endpoint-url", url, "vault", "delete", "v"], {
      cwd: w.root,
      env: { ...w.env, AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "x" },
      extendEnv: false,
    });
    expect(served.exitCode).toBe(1);
    expect(served.stderr).toMatch(/^glacier: Glacier refused to delete vault 'v': .* no inventory yet/);
  });
});
