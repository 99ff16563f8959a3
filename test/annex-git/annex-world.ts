// Real git-annex (docs/annex-protocol.md#testremote: "export PATH=/path/to/bin:$PATH HOME=$(mktemp -d) ...") against
// an emulator over HTTP. git-annex finds external remotes by their exact program name, so a private
// bin folder holds `git-annex-remote-glacier` and `glacier` as links to the repo's bin/ shims (what
// `npm install` makes of package.json's "bin"), in front of PATH.
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { onTestFinished } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.ts";
import { closeEmulator } from "../helpers/close-emulator.ts";
import { privateGnupgHome } from "../helpers/gnupg.ts";
import { ROOT } from "../helpers/run-bin.ts";
import { tempDir } from "../helpers/temp-dir.ts";

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as a user sees them. */
  all: string;
}

export interface AnnexWorld {
  emulator: RunningEmulator;
  root: string;
  env: Record<string, string>;
  /** Runs a command in `cwd` with the world's environment (plus `env`). */
  run(
    command: string,
    args: readonly string[],
    options: { cwd: string; env?: Record<string, string> },
  ): Promise<RunResult>;
  /** A new repository with git-annex initialised, at root/NAME. */
  repo(name: string): Promise<string>;
}

export async function annexWorld(emulatorOptions: Partial<EmulatorOptions> = {}): Promise<AnnexWorld> {
  const root = await tempDir("annex-git-");
  const bin = join(root, "bin");
  const home = join(root, "home");
  await Promise.all([mkdir(bin), mkdir(home)]);
  await symlink(`${ROOT}bin/git-annex-remote-glacier.js`, join(bin, "git-annex-remote-glacier"));
  await symlink(`${ROOT}bin/glacier.js`, join(bin, "glacier"));
  const emulator = await startEmulator({ dataDir: join(root, "emulator"), port: 0, ...emulatorOptions });
  onTestFinished(() => closeEmulator(emulator));
  const gnupgHome = await privateGnupgHome(root);
  const env: Record<string, string> = {
    PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: home,
    GNUPGHOME: gnupgHome,
    XDG_CACHE_HOME: join(home, ".cache"),
    AWS_ENDPOINT_URL_GLACIER: emulator.url,
    AWS_ACCESS_KEY_ID: "AKIDANNEXTEST",
    AWS_SECRET_ACCESS_KEY: "annex-test-secret",
    AWS_REGION: "us-east-1",
    GIT_AUTHOR_NAME: "annex test",
    GIT_AUTHOR_EMAIL: "annex@example.org",
    GIT_COMMITTER_NAME: "annex test",
    GIT_COMMITTER_EMAIL: "annex@example.org",
    LANG: "C.UTF-8",
  };
  const run: AnnexWorld["run"] = async (command, args, options) => {
    const result = await execa(command, args, {
      cwd: options.cwd,
      env: { ...env, ...options.env },
      extendEnv: false,
      reject: false,
      all: true,
      stdin: "ignore",
    });
    return {
      exitCode: result.exitCode ?? -1,
      stdout: result.stdout,
      stderr: result.stderr,
      all: result.all,
    };
  };
  return {
    emulator,
    root,
    env,
    run,
    async repo(name) {
      const dir = join(root, name);
      await mkdir(dir);
      await expectOk(run("git", ["init", "-q", "-b", "main"], { cwd: dir }));
      await expectOk(run("git", ["annex", "init", "-q", name], { cwd: dir }));
      return dir;
    },
  };
}

/** Fails with the command's whole output when it did not exit 0. */
export async function expectOk(pending: Promise<RunResult>): Promise<RunResult> {
  const result = await pending;
  if (result.exitCode !== 0) throw new Error(`exit ${result.exitCode}:\n${result.all}`);
  return result;
}
