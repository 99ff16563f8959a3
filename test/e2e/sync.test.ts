import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { cliWorld } from "../helpers/cli-env.ts";

const HOUR = 3600;

describe("glacier vault sync", () => {
  it("queues an inventory job (exit 75), then fills an empty cache from the inventory", async () => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "report.pdf"), "pdf bytes");
    await world.glacier(["vault", "create", "v"]);
    await world.glacier(["archive", "upload", "v", "report.pdf"]);
    await world.emulator.control.generateInventory("v");
    const other = { XDG_CACHE_HOME: join(world.dir, "other-cache") };

    expect(await world.glacier(["vault", "sync", "v"], { env: other })).toEqual({
      exitCode: 75,
      stdout: "",
      stderr: "glacier: queued inventory job for 'v'\n",
    });
    const synced = await world.glacier(["vault", "sync", "v"], { env: other });
    expect(synced.exitCode).toBe(0);
    expect(synced.stderr).toMatch(
      /^glacier: warning: archive report\.pdf \([\w-]{138}\) present upstream but not in cache - added\n$/,
    );
    expect(await world.glacier(["archive", "list", "v"], { env: other })).toEqual({
      exitCode: 0,
      stdout: "report.pdf\n",
      stderr: "",
    });
  });

  it("waits for a pending inventory job with --wait and then reconciles (glacier-cli's bug fixed)", async () => {
    const world = await cliWorld({ jobDelays: { Standard: 4 * HOUR } });
    await writeFile(join(world.dir, "a"), "a");
    await world.glacier(["vault", "create", "v"]);
    await world.glacier(["archive", "upload", "v", "a"]);
    await world.emulator.control.generateInventory("v");
    const other = { XDG_CACHE_HOME: join(world.dir, "other-cache"), GLACIER_POLL_SECONDS: "0.05" };
    expect((await world.glacier(["vault", "sync", "v"], { env: other })).exitCode).toBe(75);
    expect(await world.glacier(["vault", "sync", "v"], { env: other })).toEqual({
      exitCode: 75,
      stdout: "",
      stderr: "glacier: job still pending for inventory on 'v'\n",
    });
    // The job stays pending on the emulator's clock until the test moves it: the waiting command is
    // seen checking the job (DescribeJob in the request log) before the job is allowed to finish.
    const describes = () => world.emulator.control.requestLog().filter((r) => r.operation === "DescribeJob").length;
    const before = describes();
    const waiting = world.glacier(["vault", "sync", "--wait", "v"], { env: other });
    await vi.waitFor(
      () => {
        expect(describes()).toBeGreaterThan(before);
      },
      { timeout: 30_000, interval: 20 },
    );
    await world.emulator.control.advanceClock(4 * HOUR);
    const waited = await waiting;
    expect(waited.exitCode).toBe(0);
    expect(waited.stderr).toMatch(
      /^glacier: warning: archive a \([\w-]{138}\) present upstream but not in cache - added\n$/,
    );
    expect((await world.glacier(["archive", "list", "v"], { env: other })).stdout).toBe("a\n");
  });

  it("warns about an archive deleted elsewhere and drops it with --fix", async () => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "old"), "old");
    await world.glacier(["vault", "create", "v"]);
    await world.glacier(["archive", "upload", "v", "old"]);
    await world.emulator.control.generateInventory("v");
    // Our cache sees the archive in an inventory; another machine then deletes it.
    await world.glacier(["vault", "sync", "v"]);
    expect((await world.glacier(["vault", "sync", "v"])).exitCode).toBe(0);
    const elsewhere = { XDG_CACHE_HOME: join(world.dir, "elsewhere") };
    await world.glacier(["vault", "sync", "v"], { env: elsewhere });
    await world.glacier(["vault", "sync", "v"], { env: elsewhere });
    expect((await world.glacier(["archive", "delete", "v", "old"], { env: elsewhere })).exitCode).toBe(0);
    await world.emulator.control.advanceClock(2 * HOUR);
    await world.emulator.control.generateInventory("v");
    await world.emulator.control.advanceClock(HOUR);
    expect(await world.glacier(["vault", "sync", "--max-age", "0", "v"])).toEqual({
      exitCode: 75,
      stdout: "",
      stderr: "glacier: queued inventory job for 'v'\n",
    });
    const fixed = await world.glacier(["vault", "sync", "--fix", "v"]);
    expect(fixed).toEqual({
      exitCode: 0,
      stdout: "",
      stderr: "glacier: warning: archive disappeared: 'old' (removed from cache)\n",
    });
    expect((await world.glacier(["archive", "list", "v"])).stdout).toBe("");
  });

  it("says when the vault has no inventory yet, with exit 75", async () => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "a"), "a");
    await world.glacier(["vault", "create", "v"]);
    await world.glacier(["archive", "upload", "v", "a"]);
    expect(await world.glacier(["vault", "sync", "v"])).toEqual({
      exitCode: 75,
      stdout: "",
      stderr:
        "glacier: no inventory of vault 'v' yet: Glacier takes the first one about a day after the first " +
        "upload; try again later\n",
    });
  });
});

describe("glacier archive checkpresent", () => {
  it("prints the name of an archive uploaded from here without any request", async () => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "k"), "key content");
    await world.glacier(["vault", "create", "v"]);
    await world.glacier(["archive", "upload", "--name", "SHA256E-s11--x", "v", "k"]);
    world.emulator.control.clearRequestLog();
    const result = await world.glacier(["archive", "checkpresent", "v", "--quiet", "SHA256E-s11--x"]);
    expect(result).toEqual({ exitCode: 0, stdout: "SHA256E-s11--x\n", stderr: "" });
    expect(world.emulator.control.requestLog()).toEqual([]);
  });

  it("exits 0 with empty stdout when the archive is unknown, saying so unless --quiet", async () => {
    const world = await cliWorld();
    expect(await world.glacier(["archive", "checkpresent", "v", "nope"])).toEqual({
      exitCode: 0,
      stdout: "",
      stderr: "glacier: archive 'nope' not found\n",
    });
    expect(await world.glacier(["archive", "checkpresent", "--quiet", "v", "nope"])).toEqual({
      exitCode: 0,
      stdout: "",
      stderr: "",
    });
  });

  it("does not consider an archive present once it has not been seen for --max-age hours", async () => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "k"), "x");
    await world.glacier(["vault", "create", "v"]);
    await world.glacier(["archive", "upload", "v", "k"]);
    const result = await world.glacier(["archive", "checkpresent", "--max-age", "0", "v", "k"]);
    expect(result).toEqual({
      exitCode: 0,
      stdout: "",
      stderr: "glacier: archive 'k' found, but has not been seen recently enough to consider it present\n",
    });
  });
});

describe("glacier job list", () => {
  it("prints one line per job in the format git-annex splits into four words", async () => {
    const world = await cliWorld({ jobDelays: { Standard: 3600 } });
    await writeFile(join(world.dir, "k"), "x");
    await world.glacier(["vault", "create", "backups"]);
    await world.glacier(["archive", "upload", "--name", "SHA256E-s1--y", "backups", "k"]);
    await world.glacier(["archive", "retrieve", "-o-", "backups", "SHA256E-s1--y"]);
    const result = await world.glacier(["job", "list"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^a\/p \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z backups {4}SHA256E-s1--y\n$/);
    expect(result.stdout.trim().split(/\s+/)).toHaveLength(4);
  });
});
