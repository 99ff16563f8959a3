// A restore is right or refused, nothing is written outside its target, two writers never share a
// target, nothing hangs, and one bad path does not stop a restore. The built `glacier` against the
// emulator, behind a proxy that lies (dropped tree hashes, a flipped byte, a size of 0), with
// symbolic links planted beside the target, two processes on one target, and a service that goes
// silent (the emulator's stall faults).
import { execa } from "execa";
import { existsSync, lstatSync } from "node:fs";
import { mkdir, open, readFile, readdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { startLyingProxy, type LyingProxy } from "../helpers/lying-proxy.ts";
import { ROOT } from "../helpers/run-bin.ts";
import { check, record } from "./ledger.ts";
import { makeWorld, type World } from "./world.ts";

const SECTION = "trusted downloads";
const STACK = /\n\s+at \S|node:internal|internal error/;

let w: World;
let proxy: LyingProxy;
let n = 0;

beforeAll(async () => {
  w = await makeWorld({}, "glacier-trust-");
  proxy = await startLyingProxy(w.emulator.url);
});
afterAll(async () => {
  // beforeAll sets them, and may have failed before it did.
  const opened: (LyingProxy | World | undefined)[] = [proxy, w];
  for (const o of opened) await o?.close();
});

/** glacier through the lying proxy (its own cache namespace: every command of a case goes this way). */
const lied = (args: string[], options: { cwd?: string } = {}) =>
  w.glacier(args, { ...options, env: { AWS_ENDPOINT_URL_GLACIER: proxy.url } });

/** Bytes that differ from run to run of the harness's cases, so no two archives are alike. */
function bytesOf(size: number, seed: number): Buffer {
  return Buffer.from(Array.from({ length: size }, (_, k) => (k * 131 + seed * 7 + (k >> 8)) & 0xff));
}

/** A vault holding one archive `name`, uploaded through `run`; returns the vault and the bytes. */
async function vaultWith(
  run: typeof lied,
  name: string,
  size: number,
): Promise<{ vault: string; bytes: Buffer; folder: string }> {
  const vault = `trust-${++n}`;
  const bytes = bytesOf(size, n);
  const src = join(w.dir, `src-${n}.bin`);
  await writeFile(src, bytes);
  const folder = join(w.dir, `case-${n}`);
  await mkdir(folder);
  expect((await run(["vault", "create", vault])).exitCode).toBe(0);
  const up = await run(["archive", "upload", "--name", name, vault, src]);
  expect(up.exitCode, up.stderr).toBe(0);
  return { vault, bytes, folder };
}

/** One `glacier: ` line on stderr, no stack trace. */
function oneLine(stderr: string, pattern: RegExp): string[] {
  const lines = stderr.trim().split("\n");
  const problems: string[] = [];
  if (lines.length !== 1) problems.push(`expected one line on stderr, got ${lines.length}: ${stderr.trim()}`);
  if (!pattern.test(stderr)) problems.push(`stderr does not match ${pattern}: ${stderr.trim()}`);
  if (STACK.test(stderr)) problems.push(`stack trace or internal error: ${stderr.trim()}`);
  return problems;
}

describe("verification that does not depend on the server", () => {
  it(
    "a proxy that drops the tree hashes and flips a byte gets exit 1, one line and nothing written, from " +
      "retrieve, -o- and restore",
    async () => {
      const { vault, bytes, folder } = await vaultWith(lied, "photo.jpg", 4000);
      proxy.rules = { dropTreeHash: true, flipByte: true };
      onTestFinished(() => void (proxy.rules = {}));
      const retrieve = await lied([
        "archive",
        "retrieve",
        "--wait",
        "-o",
        join(folder, "photo.jpg"),
        vault,
        "photo.jpg",
      ]);
      const stream = await lied(["archive", "retrieve", "--wait", "-o-", vault, "photo.jpg"]);
      const restore = await lied(["vault", "restore", "--wait", vault, join(folder, "restore")]);
      const problems = [
        ...(retrieve.exitCode === 1 ? [] : [`retrieve exit ${retrieve.exitCode}`]),
        ...oneLine(retrieve.stderr, /tree hash .* the archive cache says/),
        ...(stream.exitCode === 1 ? [] : [`-o- exit ${stream.exitCode}`]),
        ...oneLine(
          stream.stderr,
          new RegExp(`${stream.stdout.length} bytes were written to standard output and must be discarded`),
        ),
        ...(restore.exitCode === 1 ? [] : [`restore exit ${restore.exitCode}`]),
        ...(/photo\.jpg: downloaded archive has tree hash/.test(restore.stderr)
          ? []
          : [`restore stderr: ${restore.stderr.trim()}`]),
      ];
      if (stream.stdout.length !== bytes.length)
        problems.push(`-o- wrote ${stream.stdout.length} bytes, expected the ${bytes.length} received`);
      const left = await readdir(folder, { recursive: true });
      if (left.some((f) => f.endsWith("photo.jpg") || f.includes("glacier-partial")))
        problems.push(`left behind: ${left.join(", ")}`);
      record(SECTION, "lies told by the proxy (dropped hashes, flipped bytes)", proxy.lies);
      expect(check(SECTION, problems)).toEqual([]);
    },
  );

  it("a service that reports ArchiveSizeInBytes 0 for a 4,000-byte archive gets exit 1 and no empty file", async () => {
    const { vault, folder } = await vaultWith(lied, "notes.txt", 4000);
    proxy.rules = { dropTreeHash: true, archiveSize: 0 };
    onTestFinished(() => void (proxy.rules = {}));
    const retrieve = await lied(["archive", "retrieve", "--wait", "-o", join(folder, "notes.txt"), vault, "notes.txt"]);
    const restore = await lied(["vault", "restore", "--wait", vault, join(folder, "restore")]);
    const problems = [
      ...(retrieve.exitCode === 1 ? [] : [`retrieve exit ${retrieve.exitCode}`]),
      ...oneLine(retrieve.stderr, /has 0 bytes, but the archive cache says 4000; nothing was written/),
      ...(restore.exitCode === 1 ? [] : [`restore exit ${restore.exitCode}`]),
      ...(/notes\.txt: Glacier says archive \S+ has 0 bytes/.test(restore.stderr)
        ? []
        : [`restore stderr: ${restore.stderr.trim()}`]),
    ];
    const left = await readdir(folder, { recursive: true });
    if (left.some((f) => f.endsWith("notes.txt") || f.includes("glacier-partial")))
      problems.push(`left behind: ${left.join(", ")}`);
    expect(check(SECTION, problems)).toEqual([]);
  });
});

describe("nothing written through a symbolic link or outside the target", () => {
  it("symbolic links planted at the partial file and its sidecars are replaced, never followed", async () => {
    const { vault, bytes, folder } = await vaultWith(w.glacier, "a.txt", 3 * 1024 * 1024 + 5);
    const dir = join(folder, "dir");
    await mkdir(dir);
    const outside = ["victim-1", "victim-2", "victim-3"].map((name) => join(folder, name));
    for (const path of outside) await writeFile(path, "precious\n");
    await symlink(outside[0]!, join(dir, ".a.txt.glacier-partial"));
    await symlink(outside[1]!, join(dir, ".a.txt.glacier-partial.json"));
    await symlink(outside[2]!, join(dir, ".a.txt.glacier-partial.json.new"));
    // The later ranges fail, so that the progress sidecar is written before the run gives up.
    w.emulator.control.setFaults(
      Array.from({ length: 40 }, (_, i) => `500,op=GetJobOutput,vault=${vault},nth=${i + 2}`).join(";"),
    );
    const first = await w.glacier(["vault", "restore", "--wait", "--multipart-size", "1048576", vault, dir]);
    w.emulator.control.setFaults([]);
    const second = await w.glacier(["vault", "restore", "--wait", "--multipart-size", "1048576", vault, dir]);
    const problems: string[] = [];
    for (const path of outside)
      if ((await readFile(path, "utf8")) !== "precious\n") problems.push(`${path} was written through a planted link`);
    if (first.exitCode !== 1)
      problems.push(`first restore (failing ranges) exit ${first.exitCode}: ${first.stderr.trim()}`);
    if (second.exitCode !== 0) problems.push(`second restore exit ${second.exitCode}: ${second.stderr.trim()}`);
    if (!(await readFile(join(dir, "a.txt")).catch(() => Buffer.alloc(0))).equals(bytes))
      problems.push("a.txt not restored with the archive's bytes");
    expect(check(SECTION, problems)).toEqual([]);
  });

  it(
    "archive retrieve of an archive named '..', '.' or 'a/..' " + "without -o refuses in one line and writes nothing",
    async () => {
      const { vault, folder } = await vaultWith(w.glacier, "kept.txt", 100);
      const cwd = join(folder, "x", "y");
      await mkdir(cwd, { recursive: true });
      const problems: string[] = [];
      for (const name of ["..", ".", "a/.."]) {
        const result = await w.glacier(["archive", "retrieve", vault, name], { cwd });
        if (result.exitCode !== 1) problems.push(`${name}: exit ${result.exitCode}`);
        problems.push(
          ...oneLine(result.stderr, /has no usable file name .* give one with -o FILE/).map((p) => `${name}: ${p}`),
        );
      }
      const written = await readdir(folder, { recursive: true });
      if (written.sort().join(",") !== "x,x/y") problems.push(`written: ${written.join(", ")}`);
      expect(check(SECTION, problems)).toEqual([]);
    },
  );
});

/** Waits (a few seconds at most) until the file at path exists. */
async function appears(path: string): Promise<boolean> {
  for (let i = 0; i < 400; i++) {
    // lstat: a lock is a symbolic link to its holder's text, which existsSync would follow.
    if (lstatSync(path, { throwIfNoEntry: false })) return true;
    await delay(25);
  }
  return false;
}

describe("two writers, one target", () => {
  it(
    "a second archive retrieve -o SAME while the first runs " + "is refused and the first ends with the right bytes",
    async () => {
      const { vault, bytes, folder } = await vaultWith(w.glacier, "big.bin", 4 * 1024 * 1024);
      const target = join(folder, "big.bin");
      // The first download's ranges are slow, so the second run starts while the first holds the target.
      w.emulator.control.setFaults(`latency,op=GetJobOutput,vault=${vault},ms=4000`);
      onTestFinished(() => {
        w.emulator.control.setFaults([]);
      });
      const first = w.spawn([
        "archive",
        "retrieve",
        "--wait",
        "--multipart-size",
        "1048576",
        "-o",
        target,
        vault,
        "big.bin",
      ]);
      const locked = await appears(join(folder, ".big.bin.glacier-partial.lock"));
      const second = await w.glacier([
        "archive",
        "retrieve",
        "--wait",
        "--multipart-size",
        "1048576",
        "-o",
        target,
        vault,
        "big.bin",
      ]);
      const done = await first;
      const problems = [
        ...(locked ? [] : ["the first run never locked the target"]),
        ...(done.exitCode === 0 ? [] : [`first run exit ${done.exitCode}: ${String(done.stderr).trim()}`]),
        ...(second.exitCode === 1 ? [] : [`second run exit ${second.exitCode}`]),
        ...oneLine(second.stderr, /another glacier process \(pid \d+\) is writing this file; not touched/),
      ];
      if (!(await readFile(target).catch(() => Buffer.alloc(0))).equals(bytes))
        problems.push("the first run's file differs from the archive");
      expect(check(SECTION, problems)).toEqual([]);
    },
  );

  it("a second vault restore into the same DIR while the first runs leaves the first one's file alone", async () => {
    const { vault, bytes, folder } = await vaultWith(w.glacier, "tree/big.bin", 3 * 1024 * 1024);
    const dir = join(folder, "dir");
    w.emulator.control.setFaults(`latency,op=GetJobOutput,vault=${vault},ms=4000`);
    onTestFinished(() => {
      w.emulator.control.setFaults([]);
    });
    const first = w.spawn(["vault", "restore", "--wait", "--multipart-size", "1048576", vault, dir]);
    const locked = await appears(join(dir, "tree", ".big.bin.glacier-partial.lock"));
    const second = await w.glacier(["vault", "restore", "--wait", "--multipart-size", "1048576", vault, dir]);
    const done = await first;
    const problems = [
      ...(locked ? [] : ["the first run never locked the target"]),
      ...(done.exitCode === 0 ? [] : [`first run exit ${done.exitCode}: ${String(done.stderr).trim()}`]),
      ...(second.exitCode === 1 ? [] : [`second run exit ${second.exitCode}`]),
      ...(/tree\/big\.bin: .*another glacier process \(pid \d+\) is writing this file/.test(second.stderr)
        ? []
        : [`second run stderr: ${second.stderr.trim()}`]),
    ];
    if (!(await readFile(join(dir, "tree", "big.bin")).catch(() => Buffer.alloc(0))).equals(bytes))
      problems.push("the first run's file differs from the archive");
    expect(check(SECTION, problems)).toEqual([]);
  });

  it("bytes changed on disk under a running download are refused at the end, not renamed into place", async () => {
    const { vault, bytes, folder } = await vaultWith(w.glacier, "c.bin", 3 * 1024 * 1024);
    const target = join(folder, "c.bin");
    const partial = join(folder, ".c.bin.glacier-partial");
    // Ranges 1 and 2 arrive at once, range 3 late: the test damages range 1 on disk meanwhile.
    w.emulator.control.setFaults(`latency,op=GetJobOutput,vault=${vault},nth=3,ms=4000`);
    onTestFinished(() => {
      w.emulator.control.setFaults([]);
    });
    const run = w.spawn(["archive", "retrieve", "--wait", "--multipart-size", "1048576", "-o", target, vault, "c.bin"]);
    let damaged = false;
    for (let i = 0; i < 300 && !damaged; i++) {
      const now = await readFile(partial).catch(() => Buffer.alloc(0));
      if (now.length >= 2 * 1024 * 1024 && now[10] === bytes[10] && now[1024 * 1024 + 10] === bytes[1024 * 1024 + 10]) {
        const handle = await open(partial, "r+");
        await handle.write(Buffer.from([bytes[10]! ^ 0xff]), 0, 1, 10);
        await handle.close();
        damaged = true;
      } else await delay(20);
    }
    const result = await run;
    const problems = [
      ...(damaged ? [] : ["the partial file was never seen with two ranges written"]),
      ...(result.exitCode === 1 ? [] : [`exit ${result.exitCode}`]),
      ...oneLine(String(result.stderr), /the bytes written to disk .* are not those downloaded/),
    ];
    if (existsSync(target)) problems.push("a file was renamed into place");
    expect(check(SECTION, problems)).toEqual([]);
  });
});

describe("no hangs", () => {
  const STALL = ["--stall-timeout", "1"];

  it(
    "a download whose body stops after the headers, and one never answered, end with exit 1 and a line naming " +
      "the endpoint",
    async () => {
      const { vault, folder } = await vaultWith(w.glacier, "s.bin", 50_000);
      const endpoint = w.emulator.url.replace(/^http:\/\//, "");
      const problems: string[] = [];
      for (const kind of ["stall-body", "stall"]) {
        w.emulator.control.setFaults(`${kind},op=GetJobOutput,vault=${vault}`);
        const started = performance.now();
        const result = await w.glacier(
          [...STALL, "archive", "retrieve", "--wait", "-o", join(folder, "s.bin"), vault, "s.bin"],
          { timeoutMs: 120_000 },
        );
        record(
          SECTION,
          `seconds to give up on a download (${kind}, --stall-timeout 1)`,
          Math.round((performance.now() - started) / 100) / 10,
        );
        if (result.exitCode !== 1) problems.push(`${kind}: exit ${result.exitCode}`);
        problems.push(
          ...oneLine(result.stderr, new RegExp(`${endpoint.replace(/\./g, "\\.")}.*gave up after \\d+ attempts`)).map(
            (p) => `${kind}: ${p}`,
          ),
        );
      }
      w.emulator.control.setFaults([]);
      // The temporary file is kept for the next run to resume; nothing is under the final name.
      if (existsSync(join(folder, "s.bin"))) problems.push("s.bin written");
      expect(check(SECTION, problems)).toEqual([]);
    },
  );

  it("a stalled body or request is abandoned and retried: the download and the upload succeed", async () => {
    const { vault, bytes, folder } = await vaultWith(w.glacier, "r.bin", 50_000);
    w.emulator.control.setFaults(
      `stall-body,op=GetJobOutput,vault=${vault},times=1;stall,op=UploadArchive,vault=${vault},times=1`,
    );
    onTestFinished(() => {
      w.emulator.control.setFaults([]);
    });
    const down = await w.glacier(
      [...STALL, "archive", "retrieve", "--wait", "-o", join(folder, "r.bin"), vault, "r.bin"],
      { timeoutMs: 120_000 },
    );
    const src = join(w.dir, `again-${n}.bin`);
    await writeFile(src, bytes.subarray(0, 1000));
    const up = await w.glacier(["archive", "upload", "--name", "again.bin", vault, src], {
      timeoutMs: 120_000,
      env: { GLACIER_STALL_TIMEOUT: "1" },
    });
    const problems = [
      ...(down.exitCode === 0 ? [] : [`retrieve exit ${down.exitCode}: ${down.stderr.trim()}`]),
      ...(up.exitCode === 0 ? [] : [`upload exit ${up.exitCode}: ${up.stderr.trim()}`]),
    ];
    if (!(await readFile(join(folder, "r.bin")).catch(() => Buffer.alloc(0))).equals(bytes))
      problems.push("r.bin differs from the archive");
    expect(check(SECTION, problems)).toEqual([]);
  });

  it(
    "an upload that is never answered ends with exit 1 and " + "a line naming the endpoint, not a warning for ever",
    async () => {
      const { vault } = await vaultWith(w.glacier, "first.bin", 100);
      const src = join(w.dir, `stalled-${n}.bin`);
      await writeFile(src, bytesOf(2000, n));
      w.emulator.control.setFaults(`stall,op=UploadArchive,vault=${vault}`);
      onTestFinished(() => {
        w.emulator.control.setFaults([]);
      });
      const result = await w.glacier([...STALL, "archive", "upload", "--name", "stalled.bin", vault, src], {
        timeoutMs: 120_000,
      });
      const endpoint = w.emulator.url.replace(/^http:\/\//, "");
      const problems = [
        ...(result.exitCode === 1 ? [] : [`exit ${result.exitCode}`]),
        ...oneLine(
          result.stderr,
          new RegExp(`${endpoint.replace(/\./g, "\\.")} did not answer in time .*gave up after \\d+ attempts`),
        ),
      ];
      expect(check(SECTION, problems)).toEqual([]);
    },
  );

  it("--stall-timeout refuses a value that is not a number of seconds with a usage error", async () => {
    const result = await w.glacier(["--stall-timeout", "0", "vault", "list"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^glacier: .*--stall-timeout.*greater than 0/);
  });
});

describe("restores go on past one bad path", () => {
  it(
    "archives 'a' and 'a/b', and a plain file where a folder is needed, give one line each and the rest is " +
      "restored",
    async () => {
      const vault = `trust-${++n}`;
      expect((await w.glacier(["vault", "create", vault])).exitCode).toBe(0);
      const names = ["a", "a/b", "c.txt", "f/g.txt", "z/last.txt"];
      for (const [i, name] of names.entries()) {
        const src = join(w.dir, `tree-${n}-${i}`);
        await writeFile(src, `content of ${name}\n`);
        expect((await w.glacier(["archive", "upload", "--name", name, vault, src])).exitCode).toBe(0);
      }
      const dir = join(w.dir, `restore-${n}`);
      await mkdir(dir);
      await writeFile(join(dir, "f"), "a plain file where a folder is needed\n");
      const result = await w.glacier(["vault", "restore", "--wait", vault, dir]);
      const errors = result.stderr
        .trim()
        .split("\n")
        .filter((line) => !line.startsWith("glacier: info:"));
      const problems: string[] = [];
      if (result.exitCode !== 1) problems.push(`exit ${result.exitCode}`);
      if (STACK.test(result.stderr)) problems.push(`internal error: ${result.stderr.trim()}`);
      if (errors.length !== 2) problems.push(`expected 2 error lines, got: ${errors.join(" | ")}`);
      if (!errors.some((line) => /a\/b: not restored: .*\/a is a file where a folder is needed/.test(line)))
        problems.push("no line for a/b");
      if (!errors.some((line) => /f\/g\.txt: not restored: .*\/f is a file where a folder is needed/.test(line)))
        problems.push("no line for f/g.txt");
      for (const name of ["a", "c.txt", "z/last.txt"]) {
        if ((await readFile(join(dir, name), "utf8").catch(() => "")) !== `content of ${name}\n`)
          problems.push(`${name} not restored`);
      }
      if ((await readFile(join(dir, "f"), "utf8")) !== "a plain file where a folder is needed\n")
        problems.push("the plain file f was changed");
      expect(check(SECTION, problems)).toEqual([]);
    },
  );
});

describe("the git-annex remote's RETRIEVE", () => {
  it(
    "a proxy that drops the tree hashes and flips a byte makes git annex get fail, with no content, for a key " +
      "git-annex cannot check itself",
    async () => {
      const bin = join(w.root, "annex-bin");
      await mkdir(bin, { recursive: true });
      await symlink(`${ROOT}bin/git-annex-remote-glacier.js`, join(bin, "git-annex-remote-glacier"));
      const repo = join(w.root, "annex-repo");
      await mkdir(repo);
      const env = {
        ...w.env,
        PATH: `${bin}:${w.env["PATH"]}`,
        AWS_ENDPOINT_URL_GLACIER: proxy.url,
        LANG: "C.UTF-8",
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.org",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.org",
      };
      const git = async (...args: string[]) => {
        const result = await execa("git", args, {
          cwd: repo,
          env,
          extendEnv: false,
          reject: false,
          all: true,
          stdin: "ignore",
        });
        return { exitCode: result.exitCode ?? -1, all: result.all };
      };
      const bytes = bytesOf(5000, 99);
      await writeFile(join(repo, "data.bin"), bytes);
      // WORM keys carry no checksum: a user who allows unverified downloads takes the remote's word,
      // so the remote must check what it writes.
      for (const args of [
        ["init", "-q", "-b", "main"],
        ["annex", "init", "-q", "t"],
        ["config", "annex.security.allow-unverified-downloads", "ACKTHPPT"],
        ["annex", "add", "-q", "--backend=WORM", "data.bin"],
        ["commit", "-qm", "data"],
        [
          "annex",
          "initremote",
          "glacier",
          "type=external",
          "externaltype=glacier",
          "encryption=none",
          "vault=trust-annex",
        ],
        ["annex", "copy", "-q", "--to", "glacier", "data.bin"],
        ["annex", "drop", "-q", "data.bin"],
      ]) {
        const result = await git(...args);
        expect(result.exitCode, `git ${args.join(" ")}: ${result.all}`).toBe(0);
      }
      proxy.rules = { dropTreeHash: true, flipByte: true };
      onTestFinished(() => void (proxy.rules = {}));
      const get = await git("annex", "get", "data.bin");
      const problems: string[] = [];
      if (get.exitCode !== 1) problems.push(`git annex get exit ${get.exitCode}: ${get.all}`);
      if (!/downloaded archive has tree hash .* the remote's record of the key says/.test(get.all))
        problems.push(`no tree-hash line: ${get.all}`);
      if (
        await readFile(join(repo, "data.bin")).then(
          () => true,
          () => false,
        )
      )
        problems.push("data.bin has content after a failed get");
      proxy.rules = {};
      const again = await git("annex", "get", "data.bin");
      if (again.exitCode !== 0 || !(await readFile(join(repo, "data.bin"))).equals(bytes))
        problems.push(`get without lies: exit ${again.exitCode}: ${again.all}`);
      expect(check(SECTION, problems)).toEqual([]);
    },
  );
});
