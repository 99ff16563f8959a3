// With a canary secret key and session token in the environment, no command (with
// --debug, failing, or the git-annex remote with git-annex --debug) prints, logs or stores them;
// the cache's files are 0600 in a 0700 folder.
import { readFile, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { annexWorld } from "../annex-git/annex-world.ts";
import { check, record } from "./ledger.ts";
import { MiB, writeTree } from "./tree.ts";
import { makeWorld, type World } from "./world.ts";

const SECRET = "CanarySecretKey0123456789abcdefCANARYzz";
const TOKEN = "CanarySessionToken9876543210fedcbaCANARYtt";
const CANARY_ENV = { AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN };
/** The secrets themselves and forms a leak could take (base64, URL-encoding keeps them as they are). */
const NEEDLES = [
  SECRET,
  TOKEN,
  Buffer.from(SECRET).toString("base64").slice(0, 24),
  Buffer.from(TOKEN).toString("base64").slice(0, 24),
  "CANARY",
];

async function everyFile(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

function leaksIn(where: string, text: string | Buffer): string[] {
  const s = typeof text === "string" ? text : text.toString("latin1");
  return NEEDLES.filter((n) => s.includes(n)).map(
    (n) => `${where} contains ${n === "CANARY" ? "the canary marker" : "a canary secret"}`,
  );
}

async function leaksInFolder(label: string, root: string): Promise<{ files: number; leaks: string[] }> {
  const files = await everyFile(root);
  const leaks: string[] = [];
  for (const f of files) leaks.push(...leaksIn(`${label} file ${f.slice(root.length + 1)}`, await readFile(f)));
  return { files: files.length, leaks };
}

describe("secrets", () => {
  it(
    "no glacier command, with --debug or failing, prints or stores the secret key or session token; cache " +
      "files 0600 in a 0700 folder",
    async () => {
      const world = await makeWorld();
      // Strict SigV4 with another secret: every signed request is rejected, so errors are exercised too.
      const strict = await makeWorld({
        auth: "strict",
        credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-the-canary" },
      });
      try {
        const src = join(world.dir, "tree");
        await writeTree(src, { small: 3, large: [2 * MiB + 1], seed: 5 });
        await writeFile(join(world.dir, "one.txt"), "one\n");
        const run = async (w: World, args: string[], input?: string) => {
          const result = await w.glacier(["--debug", ...args], {
            env: CANARY_ENV,
            ...(input !== undefined ? { input } : {}),
          });
          return { args: args.join(" "), ...result };
        };
        const runs = [
          await run(world, ["vault", "create", "v"]),
          await run(world, ["vault", "list"]),
          await run(world, ["archive", "upload", "v", "one.txt"]),
          await run(world, ["archive", "upload", "--name", "piped", "v", "-"], "from stdin\n"),
          await run(world, ["archive", "multi-upload", "--part-size", "1048576", "v", src]),
          await run(world, ["archive", "list", "--json", "v"]),
          await run(world, ["archive", "retrieve", "--wait", "-o", "back.txt", "v", "one.txt"]),
          await run(world, ["archive", "checkpresent", "v", "one.txt"]),
          await run(world, ["job", "list"]),
          await run(world, ["vault", "restore", "--wait", "v", join(world.dir, "restored")]),
          await run(world, ["archive", "delete", "v", "piped"]),
          await run(world, ["vault", "sync", "--wait", "v"]),
          await run(world, ["archive", "retrieve", "v", "no-such-archive"]),
          await run(world, ["archive", "upload", "nosuchvault", "one.txt"]),
          await run(strict, ["vault", "list"]),
          await run(strict, ["archive", "upload", "v", join(world.dir, "one.txt")]),
          await run(strict, ["vault", "sync", "--wait", "v"]),
        ];
        const leaks: string[] = [];
        for (const r of runs)
          leaks.push(...leaksIn(`stdout of ${r.args}`, r.stdout), ...leaksIn(`stderr of ${r.args}`, r.stderr));
        const debugLines = runs.reduce((n, r) => n + r.stderr.split("\n").filter((l) => l !== "").length, 0);
        const stores = await Promise.all([
          leaksInFolder("cache", world.cacheDir),
          leaksInFolder("strict cache", strict.cacheDir),
          leaksInFolder("emulator", world.emulatorDir),
          leaksInFolder("strict emulator", strict.emulatorDir),
          leaksInFolder("work", world.dir),
        ]);
        for (const s of stores) leaks.push(...s.leaks);
        // Permissions of the cache.
        const modes: string[] = [];
        for (const w of [world, strict]) {
          const folder = (await stat(w.cacheDir)).mode & 0o777;
          if (folder !== 0o700) modes.push(`${w.cacheDir}: mode ${folder.toString(8)}, want 700`);
          for (const f of await everyFile(w.cacheDir)) {
            const mode = (await stat(f)).mode & 0o777;
            if (mode !== 0o600) modes.push(`${f}: mode ${mode.toString(8)}, want 600`);
          }
        }
        const okRuns = runs.filter((r) => r.exitCode === 0).length;
        record("secrets", "glacier commands with --debug (ok / failing)", `${okRuns} / ${runs.length - okRuns}`);
        record("secrets", "stderr lines searched", debugLines);
        record(
          "secrets",
          "files searched (cache, emulator data, work)",
          stores.reduce((n, s) => n + s.files, 0),
        );
        record("secrets", "canary found", leaks.length);
        record("secrets", "cache files not 0600 / folder not 0700", modes.length);
        // The commands themselves did what they were asked (the search would be empty otherwise).
        expect(runs.filter((r) => r.exitCode === 0).map((r) => r.args)).toContain(
          "archive multi-upload --part-size 1048576 v " + src,
        );
        expect(runs.some((r) => /debug/i.test(r.stderr))).toBe(true);
        expect(check("secrets", [...leaks, ...modes])).toEqual([]);
      } finally {
        await world.close();
        await strict.close();
      }
    },
  );

  it(
    "git-annex-remote-glacier with git annex --debug: no secret in the output, the cache, the emulator data or " +
      "the git-annex branch",
    async () => {
      const world = await annexWorld();
      const env = { ...CANARY_ENV, GLACIER_CACHE_DIR: join(world.root, "annex-cache") };
      const repo = await world.repo("repo");
      await writeFile(join(repo, "photo.jpg"), "not really a photo\n");
      const outputs: { what: string; all: string; exitCode: number }[] = [];
      const step = async (what: string, args: string[]) => {
        const r = await world.run("git", args, { cwd: repo, env });
        outputs.push({ what, all: r.all, exitCode: r.exitCode });
      };
      await step("add", ["annex", "add", "-q", "."]);
      await step("commit", ["commit", "-qm", "photo"]);
      await step("initremote", [
        "annex",
        "--debug",
        "initremote",
        "glacier",
        "type=external",
        "externaltype=glacier",
        "encryption=none",
      ]);
      await step("copy", ["annex", "--debug", "copy", "--to", "glacier", "."]);
      await step("fsck", ["annex", "--debug", "fsck", "--from", "glacier", "--fast", "."]);
      await step("drop", ["annex", "--debug", "drop", "--force", "photo.jpg"]);
      await step("get", ["annex", "--debug", "get", "photo.jpg"]);
      await step("get again", ["annex", "--debug", "get", "photo.jpg"]);
      const branch = await world.run("git", ["log", "-p", "git-annex"], { cwd: repo });
      const leaks: string[] = [];
      // git-annex's own --debug trace prints every protocol line, SETCREDS included: that is how the
      // remote hands the keys to git-annex's credential store at initremote (docs/annex-protocol.md#messages).
      // It is git-annex's logging, not ours; counted apart and documented (README, Reliability).
      const setcreds = (line: string) => /\] \(Annex\.ExternalAddonProcess\) \S+ --> SETCREDS /.test(line);
      let traced = 0;
      for (const o of outputs) {
        const lines = o.all.split("\n");
        traced += lines.filter(setcreds).length;
        leaks.push(...leaksIn(`git annex ${o.what} output`, lines.filter((l) => !setcreds(l)).join("\n")));
      }
      leaks.push(...leaksIn("git-annex branch history", branch.all));
      const stores = await Promise.all([
        leaksInFolder("remote cache", join(world.root, "annex-cache")),
        leaksInFolder("emulator", join(world.root, "emulator")),
      ]);
      for (const s of stores) leaks.push(...s.leaks);
      const remoteDebug = outputs.reduce(
        (n, o) => n + o.all.split("\n").filter((l) => /DEBUG|git-annex-remote-glacier/.test(l)).length,
        0,
      );
      record("secrets", "git-annex remote lines searched (--debug)", remoteDebug);
      record("secrets", "git-annex steps ok", `${outputs.filter((o) => o.exitCode === 0).length} / ${outputs.length}`);
      record("secrets", "canary found (git-annex remote)", leaks.length);
      record("secrets", "git-annex's own trace of SETCREDS at initremote (not ours)", traced);
      expect(outputs.find((o) => o.what === "copy")?.exitCode).toBe(0);
      expect(remoteDebug).toBeGreaterThan(0);
      expect(check("secrets", leaks)).toEqual([]);
    },
    300_000,
  );
});
