// What a protocol-fixtures/glacier transcript runs against: the built git-annex-remote-glacier in a
// fresh working folder, an emulator over HTTP with realistic job delays (Standard = 4 h) and the
// vault `fixtures` already created, and the directives the transcripts use (see the README there).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { openCache } from "../../src/cache/index.ts";
import { parseFaults, startEmulator, type RunningEmulator } from "../../src/emulator/index.ts";
import { openServices } from "../../src/runtime/services.ts";
import { systemClock } from "../../src/platform/system-clock.ts";
import { ROOT } from "../helpers/run-bin.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { spawnPeer, type Directive, type TranscriptPeer } from "../helpers/transcript.ts";

export const FIXTURE_VAULT = "fixtures";
const PROGRAM = `${ROOT}bin/git-annex-remote-glacier.js`;

export interface FixtureWorld {
  emulator: RunningEmulator;
  /** The remote's working folder: File paths in transcripts are relative to it. */
  work: string;
  env: Record<string, string>;
  peer(): TranscriptPeer;
  onDirective: (directive: Directive) => Promise<void>;
}

export async function fixtureWorld(): Promise<FixtureWorld> {
  const root = await tempDir("annex-fixture-");
  const work = join(root, "work");
  await mkdir(work);
  const emulator = await startEmulator({
    dataDir: join(root, "emulator"),
    port: 0,
    jobDelays: { Expedited: 180, Standard: 4 * 3600, Bulk: 8 * 3600 },
  });
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: join(root, "home"),
    GLACIER_CACHE_DIR: join(root, "cache"),
    AWS_ENDPOINT_URL_GLACIER: emulator.url,
    AWS_ACCESS_KEY_ID: "AKIDFIXTURES",
    AWS_SECRET_ACCESS_KEY: "fixture-secret",
    AWS_REGION: "us-east-1",
  };
  const services = openServices({
    global: { debug: false },
    env,
    cwd: work,
    clock: systemClock,
    warn: () => undefined,
  });
  await (await services.glacier()).createVault(FIXTURE_VAULT);
  await services.close();
  return {
    emulator,
    work,
    env,
    peer: () => spawnPeer(process.execPath, [PROGRAM], { env, cwd: work }),
    onDirective: (directive) => runDirective(directive, emulator, work, env),
  };
}

async function runDirective(
  { name, args, line }: Directive,
  emulator: RunningEmulator,
  work: string,
  env: Record<string, string>,
): Promise<void> {
  const fail = (why: string): never => {
    throw new Error(`line ${line}: @${name}: ${why}`);
  };
  switch (name) {
    case "clock": {
      // "@clock +5h": advance the emulator clock (+90s, +30m, +5h, +2d).
      const match = /^\+(\d+)([smhd])$/.exec(args) ?? fail(`expected +N(s|m|h|d), got "${args}"`);
      const unit = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "s" | "m" | "h" | "d"];
      await emulator.control.advanceClock(Number(match[1]) * unit);
      return;
    }
    case "fault": {
      // "@fault OPERATION KIND [key=value ...]" adds a rule; "@fault none" clears them.
      if (args === "none") {
        emulator.control.setFaults([]);
        return;
      }
      const [operation, kind, ...options] = args.split(" ");
      if (!operation || !kind) fail("expected OPERATION KIND [key=value ...]");
      emulator.control.setFaults([
        ...emulator.control.faults(),
        ...parseFaults(`${kind},op=${operation}${options.map((o) => `,${o}`).join("")}`),
      ]);
      return;
    }
    case "put": {
      // "@put PATH CONTENT": a file in the working folder (escapes as in > lines, \x20 for a space).
      const [path, content] = splitPathAndBytes(args, fail);
      await mkdir(dirname(join(work, path)), { recursive: true });
      await writeFile(Buffer.from(join(work, path), "latin1"), content);
      return;
    }
    case "check": {
      // "@check PATH CONTENT": the file holds exactly these bytes.
      const [path, content] = splitPathAndBytes(args, fail);
      const actual = await readFile(Buffer.from(join(work, path), "latin1")).catch(() =>
        fail(`${path} cannot be read`),
      );
      if (Buffer.compare(actual, content) !== 0) fail(`${path} holds ${JSON.stringify(actual.toString("latin1"))}`);
      return;
    }
    case "upload-intent": {
      // "@upload-intent NAME": another process has begun a multipart upload of NAME (its intent is
      // in the shared archive cache) and has not finished it.
      const cache = await openCache({
        dir: env.GLACIER_CACHE_DIR!,
        namespace: { region: "us-east-1", endpoint: emulator.url },
        clock: systemClock,
      });
      await cache.recordUploadIntent({
        vault: FIXTURE_VAULT,
        uploadId: "upload-in-progress",
        name: args,
        localPath: "/elsewhere/file",
        size: 64 << 20,
        partSize: 8 << 20,
        treeHash: null,
      });
      await cache.close();
      return;
    }
    case "mkdir": {
      // "@mkdir PATH": a folder git-annex would have made (.git/annex/tmp).
      await mkdir(join(work, unescapeBytes(args, fail).toString("latin1")), { recursive: true });
      return;
    }
    case "absent": {
      // "@absent PATH": no such file ("in the pending case ... do not write or truncate File").
      const exists = await readFile(
        Buffer.from(join(work, unescapeBytes(args, fail).toString("latin1")), "latin1"),
      ).then(
        () => true,
        () => false,
      );
      if (exists) fail(`${args} exists`);
      return;
    }
    case "vault": {
      // "@vault NAME": the emulator holds this vault.
      const state = await emulator.control.dumpState();
      if (!Object.hasOwn(state.vaults, args))
        fail(`no vault ${args}; the emulator holds ${Object.keys(state.vaults).join(", ")}`);
      return;
    }
    case "archives": {
      // "@archives N": the emulator holds exactly N archives (a second store uploads nothing).
      const state = await emulator.control.dumpState();
      const count = Object.values(state.vaults).reduce((sum, vault) => sum + Object.keys(vault.archives).length, 0);
      if (count !== Number(args)) fail(`expected ${args} archives, the emulator holds ${count}`);
      return;
    }
    case "jobs": {
      // "@jobs N": the emulator holds exactly N jobs (idempotent retrieval starts no second paid job).
      const state = await emulator.control.dumpState();
      const count = Object.keys(state.jobs).length;
      if (count !== Number(args)) fail(`expected ${args} jobs, the emulator holds ${count}`);
      return;
    }
    default:
      fail("unknown directive");
  }
}

/** PATH and CONTENT separated by the first space, both with \xNN escapes. */
function splitPathAndBytes(args: string, fail: (why: string) => never): [string, Buffer] {
  const space = args.indexOf(" ");
  if (space < 0) fail("expected PATH CONTENT");
  return [unescapeBytes(args.slice(0, space), fail).toString("latin1"), unescapeBytes(args.slice(space + 1), fail)];
}

function unescapeBytes(text: string, fail: (why: string) => never): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "\\") {
      bytes.push(text.charCodeAt(i)); // the replayer reads transcripts one char per byte
      continue;
    }
    if (text[i + 1] === "\\") {
      bytes.push(0x5c);
      i += 1;
    } else if (text[i + 1] === "x" && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      bytes.push(Number.parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      fail(`bad escape at column ${i + 1}`);
    }
  }
  return Buffer.from(bytes);
}
