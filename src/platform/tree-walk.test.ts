import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileError } from "../core/errors.ts";
import { walkTrees } from "./tree-walk.ts";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "tree-walk-"));
});
afterEach(() => {
  // rm(1), not fs.rm: one test makes a tree deeper than PATH_MAX, which only *at() calls can remove.
  execFileSync("rm", ["-rf", root]);
});

/** Creates files (content = given text) and folders (names ending in "/") under `dir`. */
async function tree(dir: string, files: Record<string, string>): Promise<string> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    if (name.endsWith("/")) await mkdir(path, { recursive: true });
    else {
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(path, content);
    }
  }
  return dir;
}

const sparsebundle = () =>
  tree(join(root, "tm.sparsebundle"), {
    "Info.plist": "plist",
    "Info.bckup": "bckup",
    token: "",
    "bands/1a": "band 1a",
    "bands/0": "band 0",
    "bands/10": "band 10",
    ".DS_Store": "x",
    ".hidden/secret": "x",
    "bands/.tmp": "x",
    "empty/": "",
  });

describe("tree walk", () => {
  it(
    "names files by their path under DIR with / separators, " + "sorted, hidden ones included, with mode and mtime",
    async () => {
      const dir = await sparsebundle();
      const { entries, nodes, problems, skipped } = await walkTrees([dir]);
      expect(entries.map((e) => e.name)).toEqual([
        ".DS_Store",
        ".hidden/secret",
        "Info.bckup",
        "Info.plist",
        "bands/.tmp",
        "bands/0",
        "bands/10",
        "bands/1a",
        "token",
      ]);
      expect(nodes.map((n) => [n.kind, n.name])).toEqual([
        ["dir", ".hidden"],
        ["dir", "bands"],
        ["dir", "empty"],
      ]);
      expect(problems).toEqual([]);
      expect(skipped).toEqual([]);
      const band = entries.find((e) => e.name === "bands/1a")!;
      const s = await stat(join(dir, "bands", "1a"));
      expect(band).toEqual({
        name: "bands/1a",
        path: join(dir, "bands", "1a"),
        size: 7,
        mode: s.mode & 0o7777,
        mtimeMs: s.mtimeMs,
        ctimeMs: s.ctimeMs,
        ino: s.ino,
        dev: s.dev,
      });
    },
  );

  it("puts names under the prefix, hidden files too", async () => {
    const dir = await sparsebundle();
    const { entries } = await walkTrees([dir], { prefix: "mac/" });
    expect(entries.map((e) => e.name)).toEqual([
      "mac/.DS_Store",
      "mac/.hidden/secret",
      "mac/Info.bckup",
      "mac/Info.plist",
      "mac/bands/.tmp",
      "mac/bands/0",
      "mac/bands/10",
      "mac/bands/1a",
      "mac/token",
    ]);
  });

  it("leaves out excluded files and does not enter excluded folders", async () => {
    const dir = await sparsebundle();
    const { entries, excluded } = await walkTrees([dir], { exclude: ["bands/", "Info.*", ".*"] });
    expect(entries.map((e) => e.name)).toEqual(["token"]);
    expect(excluded).toBe(5);
  });

  it("records symbolic links as links with their targets, never following them", async () => {
    const dir = await tree(join(root, "d"), { "real/file": "12345" });
    await symlink("real/file", join(dir, "link-to-file"));
    await symlink(join(dir, "real"), join(dir, "link-to-folder"));
    await symlink("nowhere", join(dir, "dangling"));
    const { entries, nodes, problems } = await walkTrees([dir]);
    expect(entries.map((e) => e.name)).toEqual(["real/file"]);
    expect(nodes.map((n) => [n.kind, n.name, n.kind === "symlink" ? n.target : ""])).toEqual([
      ["symlink", "dangling", "nowhere"],
      ["symlink", "link-to-file", "real/file"],
      ["symlink", "link-to-folder", join(dir, "real")],
      ["dir", "real", ""],
    ]);
    expect(problems).toEqual([]);
  });

  it("skips hard links after the first, in one line each", async () => {
    const dir = await tree(join(root, "d"), { a: "a" });
    execFileSync("ln", [join(dir, "a"), join(dir, "b")]);
    const { entries, skipped } = await walkTrees([dir]);
    expect(entries.map((e) => e.name)).toEqual(["a"]);
    expect(skipped).toEqual([{ path: join(dir, "b"), reason: `hard link to ${join(dir, "a")}, not stored again` }]);
  });

  it(
    "with followSymlinks follows symlinks to files, records symlinks to folders as links, and reports loops " +
      "and dangling links",
    async () => {
      const dir = await tree(join(root, "d"), { "real/file": "12345", z: "z" });
      await symlink(join(dir, "real", "file"), join(dir, "link-to-file"));
      await symlink(join(dir, "real"), join(dir, "link-to-folder"));
      await symlink(join(dir, "loop-b"), join(dir, "loop-a"));
      await symlink(join(dir, "loop-a"), join(dir, "loop-b"));
      await symlink(join(dir, "nowhere"), join(dir, "dangling"));
      const { entries, problems, nodes } = await walkTrees([dir], { followSymlinks: true });
      expect(entries.map((e) => [e.name, e.path, e.size])).toEqual([
        ["link-to-file", join(dir, "link-to-file"), 5],
        ["real/file", join(dir, "real", "file"), 5],
        ["z", join(dir, "z"), 1],
      ]);
      expect(problems).toEqual([
        { path: join(dir, "dangling"), reason: "No such file or directory" },
        { path: join(dir, "loop-a"), reason: "Too many levels of symbolic links" },
        { path: join(dir, "loop-b"), reason: "Too many levels of symbolic links" },
      ]);
      expect(nodes.filter((n) => n.kind === "symlink").map((n) => n.name)).toEqual(["link-to-folder"]);
    },
  );

  it("skips FIFOs, saying what they are", async () => {
    const dir = await tree(join(root, "d"), { a: "a" });
    execFileSync("mkfifo", [join(dir, "pipe")]);
    const { entries, skipped } = await walkTrees([dir]);
    expect(entries.map((e) => e.name)).toEqual(["a"]);
    expect(skipped).toEqual([{ path: join(dir, "pipe"), reason: "FIFO, not stored" }]);
  });

  it("reports a folder it cannot read and goes on with the rest", async () => {
    // Root reads every folder whatever its mode, so the unreadable folder is one whose path is
    // longer than PATH_MAX (made with relative mkdirs), which fails the same way for everyone.
    const dir = await tree(join(root, "d"), { a: "a", "z/file": "z" });
    const segment = "s".repeat(250);
    execFileSync("bash", [
      "-c",
      `mkdir -p "$1" && cd "$1" && for i in $(seq 18); do mkdir "$2" && cd "$2"; done && echo deep > file`,
      "-",
      join(dir, "deep"),
      segment,
    ]);
    const { entries, problems } = await walkTrees([dir]);
    expect(entries.map((e) => e.name)).toEqual(["a", "z/file"]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.reason).toBe("File name too long");
    expect(problems[0]!.path.startsWith(join(dir, "deep", segment, segment))).toBe(true);
  });

  it("reports names Glacier cannot hold and keeps file names that are not UTF-8 as escaped bytes", async () => {
    const dir = await tree(join(root, "d"), { ok: "ok", [`${`${"n".repeat(200)}/`.repeat(6)}n`]: "x" });
    await writeFile(Buffer.concat([Buffer.from(`${dir}/bad-`), Buffer.from([0xff])]), "x");
    const { entries, problems } = await walkTrees([dir]);
    expect(entries.map((e) => e.name)).toEqual(["bad-\uefff", "ok"]);
    expect(entries[0]!.fsPath).toEqual(Buffer.concat([Buffer.from(`${dir}/bad-`), Buffer.from([0xff])]));
    expect(problems.map((p) => p.reason)).toEqual([
      "archive name is too long: a Glacier description holds at most 1024 characters and this name needs 1616",
    ]);
  });

  it("walks several DIRs and reports a second file with a name already taken", async () => {
    const one = await tree(join(root, "one"), { a: "1", b: "1" });
    const two = await tree(join(root, "two"), { b: "2", c: "2" });
    const { entries, problems } = await walkTrees([one, two]);
    expect(entries.map((e) => e.path)).toEqual([join(one, "a"), join(one, "b"), join(two, "c")]);
    expect(problems).toEqual([{ path: join(two, "b"), reason: `same archive name b as ${join(one, "b")}` }]);
  });

  it("walks a DIR given as a symlink to a folder, and a hidden DIR, since the user named them", async () => {
    const real = await tree(join(root, ".backups"), { a: "a" });
    await symlink(real, join(root, "link"));
    expect((await walkTrees([join(root, "link")])).entries.map((e) => e.path)).toEqual([join(root, "link", "a")]);
    expect((await walkTrees([real])).entries.map((e) => e.name)).toEqual(["a"]);
  });

  it("refuses a DIR that is missing or not a folder", async () => {
    await writeFile(join(root, "file"), "x");
    await expect(walkTrees([join(root, "missing")])).rejects.toThrow(
      new FileError(join(root, "missing"), "No such file or directory"),
    );
    await expect(walkTrees([join(root, "file")])).rejects.toThrow(new FileError(join(root, "file"), "Not a directory"));
  });
});
