// Checksum-driven backups of a sparsebundle-like tree through the binary.
import { randomBytes } from "node:crypto";
import { appendFile, mkdir, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { cliWorld, type CliWorld } from "../helpers/cli-env.ts";
import { BIN } from "../helpers/run-bin.ts";

const MiB = 1024 * 1024;

async function sparsebundle(world: CliWorld, bands: number): Promise<string> {
  const root = join(world.dir, "Backup.sparsebundle");
  await mkdir(join(root, "bands"), { recursive: true });
  await writeFile(join(root, "Info.plist"), "<plist/>\n");
  await writeFile(join(root, "token"), "");
  for (let i = 0; i < bands; i++) await writeFile(join(root, "bands", i.toString(16)), randomBytes(MiB + i));
  return root;
}

const names = async (world: CliWorld) => (await world.glacier(["archive", "list", "v"])).stdout;

describe("glacier archive multi-upload", () => {
  it(
    "names archives by their path under DIR, includes hidden files, and records the empty token without an " +
      "archive in one line",
    async () => {
      const world = await cliWorld();
      const root = await sparsebundle(world, 3);
      await mkdir(join(root, ".fseventsd"));
      await writeFile(join(root, ".fseventsd", "junk"), "x");
      await world.glacier(["vault", "create", "v"]);
      const result = await world.glacier(["archive", "multi-upload", "v", root]);
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toContain(
        "glacier: info: 1 empty file recorded without an archive (Glacier cannot store an empty archive): token\n",
      );
      expect(result.stderr).toContain("glacier: info: 5 archives uploaded");
      expect(await names(world)).toBe(".fseventsd/junk\nInfo.plist\nbands/0\nbands/1\nbands/2\n");
    },
  );

  it("puts names under --prefix and leaves out --exclude matches; --dry-run sends nothing", async () => {
    const world = await cliWorld();
    const root = await sparsebundle(world, 2);
    await rm(join(root, "token"));
    await world.glacier(["vault", "create", "v"]);
    const dry = await world.glacier([
      "archive",
      "multi-upload",
      "--dry-run",
      "--prefix",
      "mac/tm",
      "--exclude",
      "Info.plist",
      "v",
      root,
    ]);
    expect(dry).toEqual({
      exitCode: 0,
      stdout: "mac/tm/bands/0\nmac/tm/bands/1\n",
      stderr:
        "glacier: info: 1 file or folder excluded by --exclude\nglacier: info: dry run: 2 files (2.0 MiB) " +
        "would be uploaded; nothing was sent\n",
    });
    expect(await names(world)).toBe("");
    expect((await world.glacier(["archive", "multi-upload", "--prefix", "mac/tm", "v", root])).exitCode).toBe(0);
    expect(await names(world)).toBe("mac/tm/Info.plist\nmac/tm/bands/0\nmac/tm/bands/1\n");
  });

  it(
    "with --resume skips only files whose name, size and " + "tree hash match, and uploads a band changed in place",
    async () => {
      const world = await cliWorld();
      const root = await sparsebundle(world, 3);
      await rm(join(root, "token"));
      await world.glacier(["vault", "create", "v"]);
      await world.glacier(["archive", "multi-upload", "v", root]);
      // Same size, different bytes: a band rewritten in place.
      await writeFile(join(root, "bands", "1"), randomBytes(MiB + 1));
      world.emulator.control.clearRequestLog();
      const resumed = await world.glacier(["archive", "multi-upload", "--resume", "--json", "v", root]);
      expect(resumed.exitCode).toBe(0);
      const events = resumed.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { event: string; name: string });
      expect(events.map((e) => [e.event, e.name])).toEqual([["uploaded", "bands/1"]]);
      expect(resumed.stderr).toContain(
        "glacier: info: 3 files already uploaded (same name, size and tree hash); skipped\n",
      );
      expect(world.emulator.control.requestLog().filter((r) => r.operation === "UploadArchive")).toHaveLength(1);
    },
  );

  it("says a missing DIR in one line with exit 1", async () => {
    const world = await cliWorld();
    expect(await world.glacier(["archive", "multi-upload", "v", "nowhere"])).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: `glacier: ${join(world.dir, "nowhere")}: No such file or directory\n`,
    });
  });
});

describe("glacier vault reconcile", () => {
  it(
    "plans without changing anything, then with --commit --keep-versions 0 uploads new and modified files " +
      "before deleting replaced archives",
    async () => {
      const world = await cliWorld();
      const root = await sparsebundle(world, 4);
      await rm(join(root, "token"));
      await world.glacier(["vault", "create", "v"]);
      await world.glacier(["archive", "multi-upload", "v", root]);
      await appendFile(join(root, "bands", "2"), "grown");
      await writeFile(join(root, "bands", "9"), randomBytes(1000));
      await rm(join(root, "bands", "0"));

      world.emulator.control.clearRequestLog();
      const plan = await world.glacier(["vault", "reconcile", "v", root]);
      expect(plan.exitCode).toBe(0);
      expect(plan.stdout).toBe("");
      const lines = plan.stderr.split("\n");
      expect(lines).toContain("glacier: info: new bands/9");
      expect(lines).toContain("glacier: info: modified bands/2");
      expect(lines).toContain("glacier: info: not on disk bands/0");
      expect(lines.at(-2)).toBe("glacier: info: use --commit to perform these changes");
      expect(world.emulator.control.requestLog()).toEqual([]);

      const commit = await world.glacier(["vault", "reconcile", "--commit", "--keep-versions", "0", "v", root]);
      expect(commit.exitCode).toBe(0);
      const ops = world.emulator.control
        .requestLog()
        .map((r) => r.operation)
        .filter((op) => op === "UploadArchive" || op === "DeleteArchive");
      expect(ops.indexOf("DeleteArchive")).toBeGreaterThan(ops.indexOf("UploadArchive"));
      expect(await names(world)).toBe("Info.plist\nbands/0\nbands/1\nbands/2\nbands/3\nbands/9\n");

      const again = await world.glacier([
        "vault",
        "reconcile",
        "--delete-removed",
        "--commit",
        "--keep-versions",
        "0",
        "v",
        root,
      ]);
      expect(again.exitCode).toBe(0);
      expect(await names(world)).toBe("Info.plist\nbands/1\nbands/2\nbands/3\nbands/9\n");
      expect((await world.glacier(["vault", "reconcile", "--trust-mtime", "v", root])).stderr).toBe(
        "glacier: info: Nothing to do: 5 files unchanged\n",
      );
    },
  );
});

describe("glacier archive multi-delete", () => {
  it("says each deletion and the count, and stops at a missing name", async () => {
    const world = await cliWorld();
    const root = await sparsebundle(world, 2);
    await rm(join(root, "token"));
    await world.glacier(["vault", "create", "v"]);
    await world.glacier(["archive", "multi-upload", "v", root]);
    const result = await world.glacier(["archive", "multi-delete", "v", "bands/0", "nope", "bands/1"]);
    expect(result).toEqual({
      exitCode: 1,
      stdout: "",
      stderr:
        "glacier: info: Deleting archive bands/0\nglacier: info: 1 archive deleted\nglacier: archive 'nope' " +
        "not found\n",
    });
    expect(await names(world)).toBe("Info.plist\nbands/1\n");
  });
});

describe("glacier vault restore", () => {
  it("refuses to write through a symbolic link planted among the folders of DIR", async () => {
    const world = await cliWorld();
    const source = join(world.dir, "src");
    await mkdir(join(source, "link"), { recursive: true });
    await writeFile(join(source, "link", "pwned.txt"), "x");
    await world.glacier(["vault", "create", "v"]);
    expect((await world.glacier(["archive", "multi-upload", "v", source])).exitCode).toBe(0);
    const target = join(world.dir, "target");
    await mkdir(join(world.dir, "outside"));
    await mkdir(target);
    await symlink(join(world.dir, "outside"), join(target, "link"));
    const result = await world.glacier(["vault", "restore", "--wait", "v", target]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `glacier: link/pwned.txt: not restored: ${join(target, "link")} is a symbolic link, and following it ` +
        `could write outside ${target}\n`,
    );
    expect(await readdir(join(world.dir, "outside"))).toEqual([]);
  });

  it(
    "starts every job at once (exit 75 with a summary), then " + "restores every byte, then finds everything present",
    async () => {
      const world = await cliWorld();
      const root = await sparsebundle(world, 3);
      await rm(join(root, "token"));
      await world.glacier(["vault", "create", "v"]);
      await world.glacier(["archive", "multi-upload", "--prefix", "tm", "v", root]);
      const out = join(world.dir, "restored");
      const first = await world.glacier(["vault", "restore", "--prefix", "tm", "v", out]);
      expect(first.exitCode).toBe(75);
      expect(first.stderr).toBe(
        `glacier: info: 1 folder, empty file or link created, 0 already present\nglacier: info: restore of ` +
          `vault 'v' into ${out}: 0 restored, 0 already present, 4 pending, 0 failed; run the same command again ` +
          `to continue\n`,
      );
      expect(world.emulator.control.requestLog().filter((r) => r.operation === "InitiateJob")).toHaveLength(4);
      const second = await world.glacier(["vault", "restore", "--prefix", "tm", "v", out]);
      expect(second.exitCode).toBe(0);
      for (const name of ["Info.plist", "bands/0", "bands/1", "bands/2"]) {
        expect(Buffer.compare(await readFile(join(out, name)), await readFile(join(root, name))), name).toBe(0);
      }
      const third = await world.glacier(["vault", "restore", "--prefix", "tm", "v", out]);
      expect(third).toEqual({
        exitCode: 0,
        stdout: "",
        stderr:
          `glacier: info: 0 folders, empty files and links created, 1 already present\nglacier: info: restore of ` +
          `vault 'v' into ${out}: 0 restored, 4 already present, 0 pending, 0 failed\n`,
      });
    },
  );

  it("never writes outside DIR: hostile names are refused with a warning and exit 1", async () => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "payload"), "evil");
    await world.glacier(["vault", "create", "v"]);
    for (const name of ["../escape", "/etc/cron.d/x", "a/../../b", "ok/file"])
      await world.glacier(["archive", "upload", "--name", name, "v", "payload"]);
    const out = join(world.dir, "out");
    await world.glacier(["vault", "restore", "v", out]);
    const result = await world.glacier(["vault", "restore", "v", out]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('glacier: warning: archive "../escape" not restored: ".." path segment\n');
    expect(result.stderr).toContain('glacier: warning: archive "/etc/cron.d/x" not restored: absolute path\n');
    expect(await readdir(world.dir)).toEqual(["out", "payload"]);
    expect(await readdir(out, { recursive: true })).toEqual(["ok", "ok/file"]);
  });

  it("does not overwrite a different existing file unless --force", async () => {
    const world = await cliWorld();
    await writeFile(join(world.dir, "doc"), "archived");
    await world.glacier(["vault", "create", "v"]);
    await world.glacier(["archive", "upload", "v", "doc"]);
    const out = join(world.dir, "out");
    await mkdir(out);
    await writeFile(join(out, "doc"), "local edit");
    await world.glacier(["vault", "restore", "v", out]);
    const kept = await world.glacier(["vault", "restore", "v", out]);
    expect(kept.exitCode).toBe(1);
    expect(await readFile(join(out, "doc"), "utf8")).toBe("local edit");
    expect((await world.glacier(["vault", "restore", "--force", "v", out])).exitCode).toBe(75);
    expect((await world.glacier(["vault", "restore", "--force", "v", out])).exitCode).toBe(0);
    expect(await readFile(join(out, "doc"), "utf8")).toBe("archived");
  });

  it("restores exactly the snapshot a manifest records, not newer uploads of the same names", async () => {
    const world = await cliWorld();
    const root = await sparsebundle(world, 2);
    await rm(join(root, "token"));
    await world.glacier(["vault", "create", "v"]);
    const commit = await world.glacier(["vault", "reconcile", "--commit", "--manifest", "v", root]);
    expect(commit.exitCode).toBe(0);
    const manifest = /manifest (\.glacier-manifest\/\S+) records this snapshot/.exec(commit.stderr)![1]!;
    const snapshot = await readFile(join(root, "bands", "1"));
    // A later upload of the same name (not through reconcile, so the old archive stays).
    await writeFile(join(root, "bands", "1"), randomBytes(MiB + 1));
    await world.glacier(["archive", "upload", "--name", "bands/1", "v", join(root, "bands", "1")]);

    const out = join(world.dir, "snap");
    // The manifest written here is kept beside the cache: no job for it, only for the archives.
    expect((await world.glacier(["vault", "restore", "--manifest", manifest, "v", out])).exitCode).toBe(75);
    expect((await world.glacier(["vault", "restore", "--manifest", manifest, "v", out])).exitCode).toBe(0);
    expect(Buffer.compare(await readFile(join(out, "bands", "1")), snapshot)).toBe(0);
    expect(await readdir(out, { recursive: true })).toEqual(["Info.plist", "bands", "bands/0", "bands/1"]);
  });
});

describe("progress", () => {
  it("draws one redrawn progress line on a terminal instead of a line per file", async () => {
    const world = await cliWorld();
    const root = await sparsebundle(world, 3);
    await rm(join(root, "token"));
    await world.glacier(["vault", "create", "v"]);
    // script(1) gives the program a pseudo-terminal, as an interactive shell would.
    const command = `${process.execPath} ${BIN.glacier} archive multi-upload v ${root}`;
    const result = await execa("script", ["-qec", command, "/dev/null"], {
      env: world.env,
      extendEnv: false,
      cwd: world.dir,
      reject: false,
    });
    expect(result.exitCode).toBe(0);
    const screen = result.stdout;
    expect(screen).toMatch(
      // eslint-disable-next-line no-control-regex -- the progress line ends with the terminal's erase-line escape
      /\rglacier: uploading: [\d.]+ MiB of 3\.0 MiB \(\d+%\) at [\d.]+ MiB\/s, \d+ s left, \d\/4 files\x1b\[K/,
    );
    expect(screen).not.toContain("uploaded archive");
    expect(screen).toContain("glacier: info: 4 archives uploaded (3.0 MiB)");
  });
});
