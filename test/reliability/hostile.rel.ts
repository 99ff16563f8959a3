// Hostile input, table-driven. Every case runs the built `glacier` and checks the
// exit code and message it expects, then the same three things for all: no stack trace, nothing
// written outside the folder the command was given (the rest of the world is snapshotted before and
// after), and no archive lost from any vault.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile, rm, stat, symlink, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BinResult } from "../helpers/run-bin.ts";
import {
  bigCsvInventory,
  bigJsonInventory,
  jobsOf,
  putRaw,
  snapshot,
  tamperJob,
  type JobTamper,
} from "./hostile-helpers.ts";
import { check, record } from "./ledger.ts";
import { listFiles } from "./tree.ts";
import { cachedArchives } from "./vault-check.ts";
import { makeWorld, type World } from "./world.ts";

const run = promisify(execFile);
const MiB = 1024 * 1024;
const HOUR = 3600;
const ABS_ESCAPE = "/tmp/glacier-rel-abs-escape.txt";

interface Ctx {
  /** Jobs finish at once, any key accepted. */
  a: World;
  /** Jobs take an hour (so their output can be replaced first); strict SigV4. */
  b: World;
  n: number;
}

interface Outcome {
  result: BinResult;
  /** The folder the command was told to write into (allowed to change). */
  target?: string;
  /** Case-specific problems found. */
  problems?: string[];
}

interface Case {
  name: string;
  world: "a" | "b";
  exit: number;
  stderr: RegExp;
  run(ctx: Ctx, w: World): Promise<Outcome>;
}

const STACK =
  /\n\s+at \S|node:internal|\b(TypeError|RangeError|ReferenceError|SyntaxError|AssertionError)\b|Error: .*\n\s+at /;

async function file(w: World, name: string, bytes: Buffer | string = "hostile input test\n"): Promise<string> {
  const path = join(w.dir, name);
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, bytes);
  return path;
}

/** A restore of one archive stored under a raw description, into a fresh folder. */
function restoreCase(
  name: string,
  description: string,
  exit: number,
  stderr: RegExp,
  setup?: (target: string) => Promise<void>,
): Case {
  return {
    name,
    world: "a",
    exit,
    stderr,
    async run(ctx, w) {
      const vault = `restore-${ctx.n}`;
      await putRaw(w, vault, description, Buffer.from(`bytes of ${name}\n`));
      await w.emulator.control.generateInventory(vault);
      const sync = await w.glacier(["vault", "sync", "--wait", vault]);
      const target = join(w.dir, `target-${ctx.n}`);
      await mkdir(target, { recursive: true });
      await setup?.(target);
      const result = await w.glacier(["vault", "restore", "--wait", vault, target]);
      const problems = sync.exitCode === 0 ? [] : [`vault sync exit ${sync.exitCode}: ${sync.stderr.trim()}`];
      if (existsSync(ABS_ESCAPE)) problems.push(`${ABS_ESCAPE} written`);
      return { result, target, problems };
    },
  };
}

/** An inventory job whose output is replaced before it completes, then `vault sync`. */
function inventoryCase(
  name: string,
  exit: number,
  stderr: RegExp,
  tamper: (arn: string) => JobTamper,
  after?: (w: World, vault: string) => Promise<string[]>,
): Case {
  return {
    name,
    world: "b",
    exit,
    stderr,
    async run(ctx, w) {
      const vault = `inv-${ctx.n}`;
      await putRaw(w, vault, "real-archive", Buffer.from("kept\n"));
      await w.emulator.control.generateInventory(vault);
      const first = await w.glacier(["vault", "sync", vault]);
      const problems =
        first.exitCode === 75 ? [] : [`first sync exit ${first.exitCode} (want 75): ${first.stderr.trim()}`];
      const [jobId] = await jobsOf(w, vault, "InventoryRetrieval");
      await tamperJob(w, jobId!, tamper(`arn:aws:glacier:us-east-1:123456789012:vaults/${vault}`));
      await w.emulator.control.advanceClock(HOUR);
      const result = await w.glacier(["vault", "sync", vault]);
      problems.push(...((await after?.(w, vault)) ?? []));
      return { result, problems };
    },
  };
}

/** An archive retrieval whose job output is replaced before it completes. */
function outputCase(name: string, exit: number, stderr: RegExp, tamper: (bytes: Buffer) => JobTamper): Case {
  return {
    name,
    world: "b",
    exit,
    stderr,
    async run(ctx, w) {
      const vault = `out-${ctx.n}`;
      const bytes = Buffer.alloc(3 * MiB + 123, ctx.n);
      const src = await file(w, `src-${ctx.n}.bin`, bytes);
      await w.glacier(["vault", "create", vault]);
      const up = await w.glacier(["archive", "upload", "--name", "a.bin", vault, src]);
      const first = await w.glacier(["archive", "retrieve", vault, "a.bin"]);
      const problems =
        up.exitCode === 0 && first.exitCode === 75
          ? []
          : [`set-up: upload ${up.exitCode}, first retrieve ${first.exitCode}: ${first.stderr.trim()}`];
      const [jobId] = await jobsOf(w, vault, "ArchiveRetrieval");
      await tamperJob(w, jobId!, tamper(bytes));
      await w.emulator.control.advanceClock(HOUR);
      const target = join(w.dir, `out-${ctx.n}`);
      await mkdir(target);
      const result = await w.glacier(["archive", "retrieve", "-o", join(target, "a.bin"), vault, "a.bin"]);
      const written = await readFile(join(target, "a.bin")).catch(() => undefined);
      if (written && !written.equals(bytes)) problems.push("a.bin written with bytes that differ from the archive");
      return { result, target, problems };
    },
  };
}

/**
 * vault restore's warning for a name it will not turn into a path; a vault known only from its
 * inventory has no record of the tree, and an info line may say so first.
 */
const refused = (reason: string) =>
  new RegExp(
    `^(glacier: info: .*\n)*glacier: warning: archive .* not restored: ` +
      `${reason.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*\n(glacier: info: .*\n)*$`,
  );
const invalidVault = /^glacier: invalid vault name .*\n$/;
const oneLine = (re: RegExp) => re;

const CASES: Case[] = [
  // --- vault names ---
  ...["bad/name", "", "a".repeat(256), "with space", "tab\tname", "ünïcode", "v;rm -rf ~"].map((name, i): Case => ({
    name: `invalid vault name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}...(${name.length})` : name)}`,
    world: "a",
    exit: 2,
    stderr: invalidVault,
    run: async (_ctx, w) => ({
      result: await w.glacier(
        [
          ["vault", "create"],
          ["archive", "list"],
          ["vault", "sync"],
          ["vault", "delete"],
        ][i % 4]!.concat(name),
      ),
    }),
  })),
  // --- archive names given on upload ---
  {
    name: "archive name of 2,000 characters",
    world: "a",
    exit: 1,
    stderr: oneLine(/^glacier: archive name is too long: .*\n$/),
    run: async (_c, w) => ({
      result: await w.glacier(["archive", "upload", "--name", "n".repeat(2000), "v", await file(w, "f")]),
    }),
  },
  {
    name: "archive name of 2,000 non-ASCII characters",
    world: "a",
    exit: 1,
    stderr: /^glacier: archive name is too long: .*\n$/,
    run: async (_c, w) => ({
      result: await w.glacier(["archive", "upload", "--name", "é".repeat(2000), "v", await file(w, "f")]),
    }),
  },
  // docs/compatibility.md#commands: "--name, if given": an empty one gives an archive with no description.
  {
    name: "empty archive name is an archive without description, as in glacier-cli",
    world: "a",
    exit: 0,
    stderr: /^$/,
    async run(_c, w) {
      const result = await w.glacier(["archive", "upload", "--name", "", "v", await file(w, "f")]);
      const listed = (await cachedArchives(w, "v")).some((a) => a.name === "");
      return { result, problems: listed ? [] : ["the archive with the empty name is not listed"] };
    },
  },
  ...["../escape", "/etc/passwd", "two\nlines", "tab\there", "a/../../b"].map((name): Case => ({
    name: `archive name ${JSON.stringify(name)} is stored as a name (kept reversible)`,
    world: "a",
    exit: 0,
    stderr: /^$/,
    async run(_c, w) {
      const result = await w.glacier(["archive", "upload", "--name", name, "v", await file(w, "f")]);
      const listed = (await cachedArchives(w, "v")).some((a) => a.name === name);
      return { result, problems: listed ? [] : [`${JSON.stringify(name)} not listed back by archive list --json`] };
    },
  })),
  {
    name: "upload of a missing absolute path",
    world: "a",
    exit: 1,
    stderr: /^glacier: \/nonexistent\/x\.bin: No such file or directory\n$/,
    run: async (_c, w) => ({ result: await w.glacier(["archive", "upload", "v", "/nonexistent/x.bin"]) }),
  },
  {
    name: "upload of a directory",
    world: "a",
    exit: 1,
    stderr: /^glacier: .*director.*\n$/,
    run: async (_c, w) => ({ result: await w.glacier(["archive", "upload", "v", w.dir]) }),
  },
  // --- restore of archives named to escape the target folder ---
  restoreCase("restore of '../escape.txt'", "../escape.txt", 1, refused('".." path segment')),
  restoreCase("restore of '../../escape2.txt'", "../../escape2.txt", 1, refused('".." path segment')),
  restoreCase("restore of an absolute path", ABS_ESCAPE, 1, refused("absolute path")),
  restoreCase("restore of 'a/../../escape3.txt'", "a/../../escape3.txt", 1, refused('".." path segment')),
  restoreCase(
    "restore of a name with NUL",
    `gcli1 ${Buffer.from("nul\0byte.txt").toString("base64url")}`,
    1,
    refused("contains a NUL character"),
  ),
  restoreCase(
    "restore of a name with a newline (a legal file name)",
    `gcli1 ${Buffer.from("new\nline.txt").toString("base64url")}`,
    0,
    /restored/,
  ),
  restoreCase("restore of '.'", ".", 1, refused('"." path segment')),
  restoreCase("restore of '..'", "..", 1, refused('".." path segment')),
  restoreCase("restore of a 300-byte path segment", "s".repeat(300), 1, /not restored: .*255 bytes/),
  restoreCase("restore of 'x//y'", "x//y", 1, refused("empty path segment")),
  restoreCase("restore of a Windows device name", "dir/CON.txt", 1, refused("Windows device name")),
  restoreCase(
    "restore through a symlink planted in the target",
    "link/pwned.txt",
    1,
    /not restored: .* is a symbolic link, and following it could write outside/,
    async (target) => {
      await mkdir(join(target, "..", "outside"), { recursive: true });
      await symlink(join(target, "..", "outside"), join(target, "link"));
    },
  ),
  restoreCase("restore of a /dev path", "/dev/null", 1, refused("absolute path")),
  // --- file names on disk that are not UTF-8 ---
  {
    name: "multi-upload of a tree with a file name that is not UTF-8 stores it under its escaped bytes",
    world: "a",
    exit: 0,
    stderr: /2 archives uploaded/,
    async run(ctx, w) {
      const dir = join(w.dir, `latin1-${ctx.n}`);
      await mkdir(dir);
      await run("bash", ["-c", `printf data > "$1"/$'bad-\\xff\\xfe.bin' && printf ok > "$1"/ok.bin`, "_", dir]);
      const result = await w.glacier(["archive", "multi-upload", "v", dir]);
      const names = (await cachedArchives(w, "v")).map((a) => a.name);
      const problems = [
        ...(names.includes("ok.bin") ? [] : ["ok.bin beside the bad name was not uploaded"]),
        ...(names.includes("bad-\uefff\ueffe.bin") ? [] : ["the name that is not UTF-8 was not kept as its bytes"]),
      ];
      return { result, problems };
    },
  },
  {
    name: "reconcile of a tree with a file name that is not UTF-8 plans it as any other",
    world: "a",
    exit: 0,
    stderr: /new bad-\uefff\.bin/,
    async run(ctx, w) {
      const dir = join(w.dir, `latin1r-${ctx.n}`);
      await mkdir(dir);
      await run("bash", ["-c", `printf data > "$1"/$'bad-\\xff.bin'`, "_", dir]);
      return { result: await w.glacier(["vault", "reconcile", "v", dir]) };
    },
  },
  // --- inventories ---
  inventoryCase("JSON inventory cut in the middle", 1, /^glacier: .*inventory.*\n$/i, () => ({
    output: Buffer.from('{"VaultARN":"x","InventoryDate":"2026-01-01T00:00:00Z","ArchiveList":[{"ArchiveId":"ab'),
  })),
  inventoryCase("JSON inventory that is an array", 1, /^glacier: .*inventory.*\n$/i, () => ({
    output: Buffer.from("[]"),
  })),
  inventoryCase("JSON inventory entry without ArchiveId", 1, /^glacier: .*inventory.*\n$/i, () => ({
    output: Buffer.from(
      JSON.stringify({
        VaultARN: "x",
        InventoryDate: "2026-01-01T00:00:00Z",
        ArchiveList: [{ ArchiveDescription: "d", CreationDate: "2026-01-01T00:00:00Z", Size: 1, SHA256TreeHash: "aa" }],
      }),
    ),
  })),
  inventoryCase("JSON inventory with a string Size", 1, /^glacier: .*inventory.*\n$/i, () => ({
    output: Buffer.from(
      JSON.stringify({
        VaultARN: "x",
        InventoryDate: "2026-01-01T00:00:00Z",
        ArchiveList: [
          {
            ArchiveId: "i",
            ArchiveDescription: "d",
            CreationDate: "2026-01-01T00:00:00Z",
            Size: "huge",
            SHA256TreeHash: "aa",
          },
        ],
      }),
    ),
  })),
  inventoryCase("binary garbage as inventory", 1, /^glacier: .*inventory.*\n$/i, () => ({
    output: Buffer.from([0xff, 0x00, 0xfe, 0x7b, 0x22, 0x00, 0x80]),
  })),
  inventoryCase("empty inventory body", 1, /^glacier: .*inventory.*\n$/i, () => ({ output: Buffer.alloc(0) })),
  inventoryCase("JSON inventory nested 100,000 deep", 1, /^glacier: .*inventory.*\n$/i, () => ({
    output: Buffer.from(`{"VaultARN":"x","InventoryDate":"2026-01-01T00:00:00Z","ArchiveList":[` + "[".repeat(100_000)),
  })),
  inventoryCase(
    "JSON inventory with a 20 MB description",
    1,
    /^glacier: malformed inventory: archive 1: ArchiveDescription is longer than 2048 characters\n$/,
    () => ({
      output: Buffer.from(
        `{"VaultARN":"x","InventoryDate":"2026-01-01T00:00:00Z",` +
          `"ArchiveList":[{"ArchiveId":"i","ArchiveDescription":"` +
          `${"d".repeat(20 * MiB)}","CreationDate":"2026-01-01T00:00:00Z","Size":1,"SHA256TreeHash":"` +
          `${"a".repeat(64)}"}]}`,
      ),
    }),
  ),
  inventoryCase(
    "enormous JSON inventory (100,000 archives) is read",
    0,
    /^(glacier: (info|warning): .*\n)*$/,
    (arn) => ({ output: bigJsonInventory(arn, 100_000) }),
    async (w, vault) => {
      const n = (await cachedArchives(w, vault)).length;
      return n === 100_000 ? [] : [`${n} archives cached, want 100000`];
    },
  ),
  inventoryCase("CSV inventory with an unterminated quote", 1, /^glacier: .*inventory.*\n$/i, () => ({
    format: "CSV",
    output: Buffer.from(
      'ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash\nid1,"open,2026-01-01T00:00:00Z,1,aa\n',
    ),
  })),
  inventoryCase("CSV inventory with a wrong header", 1, /^glacier: .*inventory.*\n$/i, () => ({
    format: "CSV",
    output: Buffer.from("Name,Bytes\nx,1\n"),
  })),
  inventoryCase("CSV inventory row with missing fields", 1, /^glacier: .*inventory.*\n$/i, () => ({
    format: "CSV",
    output: Buffer.from("ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash\nid1,d\n"),
  })),
  inventoryCase(
    "enormous CSV inventory (100,000 archives) is read",
    0,
    /^(glacier: (info|warning): .*\n)*$/,
    () => ({ format: "CSV", output: bigCsvInventory(100_000) }),
    async (w, vault) => {
      const n = (await cachedArchives(w, vault)).length;
      return n === 100_000 ? [] : [`${n} archives cached, want 100000`];
    },
  ),
  // --- archive job output ---
  outputCase("job output shorter than declared", 1, /^glacier: .*\n$/, (bytes) => ({
    output: bytes.subarray(0, MiB + 5),
    outputSize: bytes.length,
  })),
  outputCase("job output longer than declared", 1, /^glacier: .*\n$/, (bytes) => ({
    output: Buffer.concat([bytes, Buffer.alloc(4096, 1)]),
  })),
  outputCase("wrong tree-hash header on job output", 1, /^glacier: .*(hash|verif|corrupt).*\n$/i, () => ({
    rangeTreeHash: "0".repeat(64),
  })),
  // --- the machine ---
  {
    name: "full disk during a download (2 MiB tmpfs)",
    world: "a",
    exit: 1,
    stderr: /No space left on device|disk is full|ENOSPC/i,
    async run(ctx, w) {
      const vault = `disk-${ctx.n}`;
      await w.glacier(["vault", "create", vault]);
      await w.glacier([
        "archive",
        "upload",
        "--name",
        "big.bin",
        vault,
        await file(w, `big-${ctx.n}.bin`, Buffer.alloc(3 * MiB, 5)),
      ]);
      const target = join(w.dir, `tmpfs-${ctx.n}`);
      await mkdir(target);
      await run("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", target]);
      try {
        const result = await w.glacier([
          "archive",
          "retrieve",
          "--wait",
          "-o",
          join(target, "big.bin"),
          vault,
          "big.bin",
        ]);
        // The partial download may stay (the next run resumes it); no file under its final name.
        const finals = (await listFiles(target)).filter((n) => !/glacier-partial/.test(n));
        return {
          result,
          target,
          problems: finals.length ? [`under a final name on the full disk: ${finals.join(", ")}`] : [],
        };
      } finally {
        await run("umount", [target]);
      }
    },
  },
  {
    name: "local:DIR on a full disk (2 MiB tmpfs): the upload fails and nothing is recorded",
    world: "a",
    exit: 1,
    stderr: /^glacier: .*(No space left on device|ENOSPC).*\n$/i,
    async run(ctx, w) {
      const target = join(w.dir, `tmpfs-${ctx.n}`);
      await mkdir(target);
      await run("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", target]);
      try {
        const local = ["--endpoint-url", `local:${join(target, "vaults")}`];
        await w.glacier([...local, "vault", "create", "v"]);
        const result = await w.glacier(
          [...local, "archive", "upload", "v", await file(w, `big-${ctx.n}.bin`, Buffer.alloc(3 * MiB, 7))],
          { timeoutMs: 120_000 },
        );
        const listed = await w.glacier([...local, "archive", "list", "v"]);
        return {
          result,
          target,
          problems:
            listed.stdout === "" ? [] : [`recorded though the emulator could not store it: ${listed.stdout.trim()}`],
        };
      } finally {
        await run("umount", [target]);
      }
    },
  },
  {
    name: "read-only cache folder (read-only bind mount)",
    world: "a",
    exit: 1,
    stderr: /read-only|EROFS|cannot write/i,
    async run(ctx, w) {
      const cache = join(w.root, `ro-cache-${ctx.n}`);
      await mkdir(cache);
      await w.glacier(["--cache-dir", cache, "vault", "create", `ro-${ctx.n}`]);
      await run("mount", ["--bind", cache, cache]);
      await run("mount", ["-o", "remount,ro,bind", cache]);
      try {
        const result = await w.glacier(["--cache-dir", cache, "archive", "upload", `ro-${ctx.n}`, await file(w, "f")]);
        return { result };
      } finally {
        await run("umount", [cache]);
      }
    },
  },
  {
    name: "read-only cache folder with a local:DIR endpoint (exits, no hang)",
    world: "a",
    exit: 1,
    stderr: /^glacier: .*Read-only file system\n$/,
    async run(ctx, w) {
      const cache = join(w.root, `ro-cache-${ctx.n}`);
      await mkdir(cache);
      await run("mount", ["--bind", cache, cache]);
      await run("mount", ["-o", "remount,ro,bind", cache]);
      try {
        const args = [
          "--endpoint-url",
          `local:${join(w.dir, "local-vaults")}`,
          "--cache-dir",
          cache,
          "archive",
          "upload",
          "v",
          await file(w, "f"),
        ];
        return { result: await w.glacier(args, { timeoutMs: 30_000 }), target: join(w.dir, "local-vaults") };
      } finally {
        await run("umount", [cache]);
      }
    },
  },
  {
    name: "corrupt cache database",
    world: "a",
    exit: 1,
    stderr: /^glacier: .*(database|cache).*\n$/i,
    async run(ctx, w) {
      const cache = join(w.root, `bad-db-${ctx.n}`);
      await w.glacier(["--cache-dir", cache, "vault", "create", "x"]);
      await w.glacier(["--cache-dir", cache, "archive", "upload", "x", await file(w, "f")]);
      // Force a checkpoint file, then overwrite the middle of it.
      await writeFile(join(cache, "db"), Buffer.concat([Buffer.from("SQLite format 3\0"), Buffer.alloc(4096, 0xab)]));
      return { result: await w.glacier(["--cache-dir", cache, "archive", "list", "x"]) };
    },
  },
  {
    name: "truncated journal (torn last record)",
    world: "a",
    exit: 0,
    stderr: /^(glacier: warning: .*\n)?$/,
    async run(ctx, w) {
      const cache = join(w.root, `torn-${ctx.n}`);
      await w.glacier(["--cache-dir", cache, "vault", "create", "x"]);
      for (const name of ["one", "two"])
        await w.glacier(["--cache-dir", cache, "archive", "upload", "--name", name, "x", await file(w, "f")]);
      const journal = join(cache, "journal");
      const size = (await stat(journal)).size;
      await truncate(journal, size - 7);
      const result = await w.glacier(["--cache-dir", cache, "archive", "list", "x"]);
      return {
        result,
        problems: result.stdout.startsWith("one\n")
          ? []
          : [`archive list after the torn write: ${JSON.stringify(result.stdout)}`],
      };
    },
  },
  // A damaged line that is not the last is not a torn write: the cache refuses to guess.
  {
    name: "journal with garbage appended",
    world: "a",
    exit: 1,
    stderr: new RegExp(
      /^glacier: .*journal: the archive cache journal is corrupt at byte \d+; /.source +
        /move it aside and run "glacier vault sync[^\n]*\n$/.source,
    ),
    async run(ctx, w) {
      const cache = join(w.root, `junk-${ctx.n}`);
      await w.glacier(["--cache-dir", cache, "vault", "create", "x"]);
      await w.glacier(["--cache-dir", cache, "archive", "upload", "--name", "one", "x", await file(w, "f")]);
      await appendFile(join(cache, "journal"), Buffer.from([0x7b, 0x00, 0xff, 0x0a, 0x7b]));
      const result = await w.glacier(["--cache-dir", cache, "archive", "list", "x"]);
      return {
        result,
        problems:
          result.stdout === "" ? [] : [`archive list printed from a corrupt journal: ${JSON.stringify(result.stdout)}`],
      };
    },
  },
  {
    name: "clock skew answered with 'Signature expired'",
    world: "b",
    exit: 1,
    stderr: /^glacier: .*(clock|time).*\n$/i,
    async run(_c, w) {
      w.emulator.control.setFaults("skew,op=ListVaults");
      try {
        return { result: await w.glacier(["vault", "list"]) };
      } finally {
        w.emulator.control.setFaults([]);
      }
    },
  },
  {
    name: "client clock 1 hour ahead (strict SigV4)",
    world: "b",
    exit: 1,
    stderr: /^glacier: .*(clock|time|signature).*\n$/i,
    async run(ctx, w) {
      const shift = join(w.root, `skew-${ctx.n}.mjs`);
      await writeFile(
        shift,
        "const R = Date; const now = () => R.now() + 3600_000; globalThis.Date = class extends R { " +
          "constructor(...a) { super(...(a.length ? a : [now()])); } static now() { return now(); } };\n",
      );
      return { result: await w.glacier(["vault", "list"], { env: { NODE_OPTIONS: `--import=${shift}` } }) };
    },
  },
  {
    name: "unknown region against strict SigV4",
    world: "b",
    exit: 1,
    stderr: /^glacier: .*\n$/,
    run: async (_c, w) => ({ result: await w.glacier(["--region", "xx-nowhere-9", "vault", "list"]) }),
  },
  {
    name: "unknown region with no endpoint (no network)",
    world: "a",
    exit: 1,
    stderr: /^glacier: .*(xx-nowhere-9|host name|reach).*\n$/i,
    run: async (_c, w) => ({
      result: await w.glacier(["--region", "xx-nowhere-9", "vault", "list"], { env: { AWS_ENDPOINT_URL_GLACIER: "" } }),
    }),
  },
  {
    name: "region that is not a region name",
    world: "a",
    exit: 1,
    stderr: /^glacier: .*region.*\n$/i,
    run: async (_c, w) => ({
      result: await w.glacier(["--region", "../../etc", "vault", "list"], { env: { AWS_ENDPOINT_URL_GLACIER: "" } }),
    }),
  },
];

describe("hostile input", () => {
  const ctx = {} as Ctx;
  const results: { name: string; ok: boolean }[] = [];
  beforeAll(async () => {
    ctx.a = await makeWorld();
    ctx.b = await makeWorld({
      jobDelays: { Standard: HOUR, Bulk: HOUR },
      auth: "strict",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example-secret-for-tests" },
    });
    ctx.n = 0;
    for (const w of [ctx.a, ctx.b]) expect((await w.glacier(["vault", "create", "v"])).exitCode).toBe(0);
    await putRaw(ctx.a, "v", "precious", Buffer.from("must survive every case\n"));
  });
  afterAll(async () => {
    record("hostile input", "cases (exit code + message + no trace + nothing outside + nothing lost)", results.length);
    record("hostile input", "cases passed", results.filter((r) => r.ok).length);
    // beforeAll fills ctx in, and may have failed before it did.
    const opened: (World | undefined)[] = [ctx.a, ctx.b];
    for (const w of opened) await w?.close();
    await rm(ABS_ESCAPE, { force: true });
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const w = ctx[c.world];
    ctx.n += 1;
    const skip = ["emulator", "home"];
    const before = await snapshot(w.root, skip);
    const vaultsBefore = await w.emulator.control.dumpState();
    const outcome = await c.run(ctx, w);
    const { result } = outcome;
    const after = await snapshot(w.root, [
      ...skip,
      ...(outcome.target ? [outcome.target.slice(w.root.length + 1)] : []),
    ]);
    const problems = [...(outcome.problems ?? [])];
    if (result.exitCode !== c.exit) problems.push(`exit ${result.exitCode}, want ${c.exit}`);
    if (!c.stderr.test(result.stderr))
      problems.push(`stderr ${JSON.stringify(result.stderr.slice(0, 400))} does not match ${c.stderr}`);
    if (STACK.test(result.stderr)) problems.push("stack trace on stderr");
    const created = [...after].filter(
      (p) =>
        !before.has(p) &&
        !/^work\/(f|src-\d+\.bin|big-\d+\.bin|latin1r?-\d+.*|out-\d+|tmpfs-\d+|target-\d+.*|outside)$/.test(p) &&
        !/^(ro-cache|bad-db|torn|junk)-\d+|^skew-\d+\.mjs$/.test(p),
    );
    if (created.length > 0) problems.push(`written outside the target: ${created.slice(0, 5).join(", ")}`);
    const vaultsAfter = await w.emulator.control.dumpState();
    for (const [vault, record_] of Object.entries(vaultsBefore.vaults)) {
      for (const id of Object.keys(record_.archives))
        if (!vaultsAfter.vaults[vault]?.archives[id]) problems.push(`archive ${id.slice(0, 12)} of ${vault} lost`);
    }
    results.push({ name: c.name, ok: problems.length === 0 });
    expect(
      check(
        "hostile input",
        problems.map((p) => `${c.name}: ${p}`),
      ),
    ).toEqual([]);
  });
});
