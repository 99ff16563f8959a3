import { randomBytes } from "node:crypto";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld } from "../helpers/cli-env.ts";

const MiB = 1024 * 1024;

describe("glacier archive upload / list / retrieve / delete", () => {
  it("uploads a file silently, lists it by name and retrieves the same bytes once the job is done", async () => {
    const world = await cliWorld();
    const content = randomBytes(3 * MiB + 17);
    await writeFile(join(world.dir, "photo.jpg"), content);
    await world.glacier(["vault", "create", "v"]);
    expect(await world.glacier(["archive", "upload", "v", "photo.jpg"])).toEqual({
      exitCode: 0,
      stdout: "",
      stderr: "",
    });
    expect(await world.glacier(["archive", "list", "v"])).toEqual({ exitCode: 0, stdout: "photo.jpg\n", stderr: "" });

    const first = await world.glacier(["archive", "retrieve", "-o", "restored.jpg", "v", "photo.jpg"]);
    expect(first).toEqual({
      exitCode: 75,
      stdout: "",
      stderr: "glacier: queued retrieval job for archive 'photo.jpg'\n",
    });
    const second = await world.glacier(["archive", "retrieve", "-o", "restored.jpg", "v", "photo.jpg"]);
    expect(second).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(Buffer.compare(await readFile(join(world.dir, "restored.jpg")), content)).toBe(0);
  });

  it("streams a multipart upload from stdin and writes the archive to stdout with -o-", async () => {
    const world = await cliWorld();
    const content = randomBytes(9 * MiB + 5);
    await world.glacier(["vault", "create", "v"]);
    expect(
      (
        await world.glacier(["archive", "upload", "--part-size", "1048576", "--name", "SHA256E-s9--abc", "v", "-"], {
          input: content,
        })
      ).exitCode,
    ).toBe(0);
    await world.glacier(["archive", "retrieve", "-o-", "v", "SHA256E-s9--abc"]);
    const result = await world.glacier(["archive", "retrieve", "-o-", "v", "SHA256E-s9--abc"], { encoding: "buffer" });
    expect(result.exitCode).toBe(0);
    expect(Buffer.compare(result.stdoutBytes!, content)).toBe(0);
  });

  it("names stdin <stdin> without --name, as glacier-cli's test asserts", async () => {
    const world = await cliWorld();
    await world.glacier(["vault", "create", "v"]);
    await world.glacier(["archive", "upload", "v", "-"], { input: "data" });
    expect((await world.glacier(["archive", "list", "v"])).stdout).toBe("<stdin>\n");
  });

  it("reports pending names with exit 75 after the ones it retrieved", async () => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "a"), "alpha");
    await writeFile(join(world.dir, "b"), "beta");
    await world.glacier(["vault", "create", "v"]);
    await world.glacier(["archive", "upload", "v", "a"]);
    await world.glacier(["archive", "retrieve", "v", "a"]);
    await world.glacier(["archive", "upload", "v", "b"]);
    const result = await world.glacier(["archive", "retrieve", "v", "a", "b"], { cwd: world.dir });
    expect(result).toEqual({
      exitCode: 75,
      stdout: "",
      stderr: "glacier: retrieved archive 'a'\nglacier: queued retrieval job for archive 'b'\n",
    });
  });

  it("refuses -o with several names", async () => {
    const world = await cliWorld();
    const result = await world.glacier(["archive", "retrieve", "-o", "x", "v", "a", "b"]);
    expect(result).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: "glacier: cannot specify output filename with multi-archive retrieval\n",
    });
  });

  it("lists duplicate names with their ids and refuses an ambiguous name with the ids in one line", async () => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "dup"), "one");
    await world.glacier(["vault", "create", "v"]);
    await world.glacier(["archive", "upload", "v", "dup"]);
    await world.glacier(["archive", "upload", "v", "dup"]);
    const list = await world.glacier(["archive", "list", "--force-ids", "v"]);
    const ids = list.stdout
      .trim()
      .split("\n")
      .map((line) => line.split("\t")[0]!.slice(3));
    expect(list.stdout).toMatch(/^id:[\w-]{138}\tdup\nid:[\w-]{138}\tdup\n$/);
    const result = await world.glacier(["archive", "delete", "v", "dup"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      `glacier: archive 'dup' is ambiguous: 2 archives have this name (id:${ids[0]}, id:${ids[1]}); use ` +
        `id:<archive id> to choose one\n`,
    );
    expect(await world.glacier(["archive", "delete", "v", `id:${ids[0]}`])).toEqual({
      exitCode: 0,
      stdout: "",
      stderr: "",
    });
    expect((await world.glacier(["archive", "list", "v"])).stdout).toBe("dup\n");
  });

  it("deletes by name, and says not found without calling Glacier", async () => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "gone"), "x");
    await world.glacier(["vault", "create", "v"]);
    await world.glacier(["archive", "upload", "v", "gone"]);
    expect((await world.glacier(["archive", "delete", "v", "gone"])).exitCode).toBe(0);
    expect(await world.glacier(["archive", "list", "v"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    world.emulator.control.clearRequestLog();
    expect(await world.glacier(["archive", "delete", "v", "gone"])).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: "glacier: archive 'gone' not found\n",
    });
    expect(world.emulator.control.requestLog()).toEqual([]);
  });
});

describe("glacier archive upload: bad input", () => {
  it.each([
    ["a missing file", "missing.bin", "glacier: missing.bin: No such file or directory\n"],
    ["a directory", ".", "glacier: .: Is a directory\n"],
    ["an empty file", "empty", "glacier: empty: file is empty, and Glacier cannot store an empty archive\n"],
  ])("refuses %s in one line with exit 1 and records nothing", async (_what, file, message) => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "empty"), "");
    await world.glacier(["vault", "create", "v"]);
    const result = await world.glacier(["archive", "upload", "v", file]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    if (typeof message === "string") expect(result.stderr).toBe(message);
    else expect(result.stderr).toMatch(message);
    expect((await world.glacier(["archive", "list", "v"])).stdout).toBe("");
  });

  it("reports a vault that does not exist and records nothing", async () => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "f"), "x");
    const result = await world.glacier(["archive", "upload", "nosuch", "f"]);
    expect(result).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: "glacier: vault 'nosuch' not found in region us-east-1\n",
    });
    expect((await world.glacier(["archive", "list", "nosuch"])).stdout).toBe("");
  });

  it("rejects an invalid part size as a usage error", async () => {
    const world = await cliWorld();
    const result = await world.glacier(["archive", "upload", "--part-size", "3000000", "v", "f"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(
      "glacier: --part-size must be 1 MiB times a power of two, from 1 MiB (1048576) to 4 GiB (got 3000000)",
    );
  });

  it("rejects an unknown option with exit 2", async () => {
    const world = await cliWorld();
    expect((await world.glacier(["archive", "upload", "--bogus", "v", "f"])).exitCode).toBe(2);
  });

  it("leaves no file behind in the target folder when retrieval fails", async () => {
    const world = await cliWorld();
    const result = await world.glacier(["archive", "retrieve", "v", "unknown"]);
    expect(result).toEqual({ exitCode: 1, stdout: "", stderr: "glacier: archive 'unknown' not found\n" });
    expect(await readdir(world.dir)).toEqual([]);
  });
});
