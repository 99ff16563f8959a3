// glacier-emulator's action options drive a data DIR's virtual clock without curl, beside a server
// running on the same DIR with Glacier's realistic delays: list the pending jobs, generate an
// inventory, advance the clock.
import { execa } from "execa";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it, onTestFinished } from "vitest";
import { ROOT, runGlacier, userEnv } from "../helpers/run-bin.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const EMULATOR = `${ROOT}bin/glacier-emulator.js`;

// Final newlines stripped (execa's default).
const emulator = async (args: readonly string[]) => {
  const r = await execa(process.execPath, [EMULATOR, ...args], { reject: false });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
};

describe("glacier-emulator actions on a data DIR", () => {
  it("lists pending jobs, generates an inventory and advances the clock while a server runs on the DIR", async () => {
    const root = await tempDir("glacier-emu-actions-");
    const data = join(root, "data");
    await mkdir(join(root, "home"));
    const server = execa(process.execPath, [EMULATOR, "--data", data, "--job-delay", "realistic"], { reject: false });
    onTestFinished(async () => {
      server.kill("SIGTERM");
      await server;
    });
    const url = await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once("line", resolve));
    const env = userEnv(join(root, "home"), url);
    const glacier = (args: readonly string[]) => runGlacier(args, { cwd: root, env, extendEnv: false });
    await writeFile(join(root, "f.txt"), "served bytes\n");
    expect((await glacier(["vault", "create", "v"])).exitCode).toBe(0);
    expect((await glacier(["archive", "upload", "v", "f.txt"])).exitCode).toBe(0);

    expect(await emulator(["--data", data, "--list-jobs"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect((await glacier(["archive", "retrieve", "-o", "out.txt", "v", "f.txt"])).exitCode).toBe(75);
    const pending = await emulator(["--data", data, "--list-jobs"]);
    expect(pending.exitCode).toBe(0);
    expect(pending.stdout).toMatch(/^v\t\S+\tArchiveRetrieval\t\d{4}-\d\d-\d\dT[\d:]+Z\t14[34]\d\d$/);

    const advanced = await emulator(["--data", data, "--advance-clock", "14400"]);
    expect(advanced).toMatchObject({ exitCode: 0, stderr: "" });
    expect(advanced.stdout).toMatch(/^emulator time \d{4}-\d\d-\d\dT[\d:]+Z$/);
    expect(await emulator(["--data", data, "--list-jobs"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(await glacier(["archive", "retrieve", "-o", "out.txt", "v", "f.txt"])).toEqual({
      exitCode: 0,
      stdout: "",
      stderr: "",
    });
    expect(await readFile(join(root, "out.txt"), "utf8")).toBe("served bytes\n");

    // No inventory yet (the first comes a day after the upload) until one is generated.
    expect((await glacier(["vault", "sync", "v"])).stderr).toMatch(/no inventory of vault 'v' yet/);
    expect(await emulator(["--data", data, "--generate-inventory", "v"])).toEqual({
      exitCode: 0,
      stdout: "",
      stderr: "",
    });
    expect(await glacier(["vault", "sync", "v"])).toEqual({
      exitCode: 75,
      stdout: "",
      stderr: "glacier: queued inventory job for 'v'\n",
    });
    expect((await emulator(["--data", data, "--list-jobs"])).stdout).toMatch(/^v\t\S+\tInventoryRetrieval\t/);
    await emulator(["--data", data, "--advance-clock", "14400"]);
    expect(await glacier(["vault", "sync", "v"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
  });

  it("refuses an inventory of a vault the DIR does not hold, and two actions at once, in one line", async () => {
    const data = join(await tempDir("glacier-emu-actions-"), "data");
    const missing = await emulator(["--data", data, "--generate-inventory", "nope"]);
    expect(missing).toEqual({ exitCode: 1, stdout: "", stderr: "glacier-emulator: No such vault: nope" });
    expect(await emulator(["--data", data, "--list-jobs", "--advance-clock", "5"])).toEqual({
      exitCode: 2,
      stdout: "",
      stderr:
        "glacier-emulator: --advance-clock, --generate-inventory and --list-jobs: give one at a time\ntry " +
        "'glacier-emulator --help'",
    });
  });

  it("--help describes every option, --account-id included", async () => {
    const help = await emulator(["--help"]);
    expect(help.exitCode).toBe(0);
    for (const option of [
      "--data",
      "--port",
      "--host",
      "--region",
      "--account-id",
      "--job-delay",
      "--inventory-lag",
      "--inventory-interval",
      "--job-expiry",
      "--upload-idle",
      "--expedited-needs-capacity",
      "--auth",
      "--faults",
      "--seed",
      "--nulls",
      "--new-account",
      "--hash-threads",
      "--advance-clock",
      "--generate-inventory",
      "--list-jobs",
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${option}\\b.*\\s{2,}\\S`, "m"));
    }
  });
});
