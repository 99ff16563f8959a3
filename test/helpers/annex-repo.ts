// A real git repository with git-annex initialised, and a runner for git / git-annex commands in
// it with a controlled environment (our bin/ first on PATH, the emulator's endpoint, test keys).
import { execa } from "execa";
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { privateGnupgHome } from "./gnupg.ts";
import { ROOT } from "./run-bin.ts";

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface AnnexRepo {
  dir: string;
  env: Record<string, string>;
  run(
    command: string,
    args: readonly string[],
    options?: { env?: Record<string, string>; cwd?: string },
  ): Promise<RunResult>;
  annex(args: readonly string[], options?: { env?: Record<string, string>; cwd?: string }): Promise<RunResult>;
}

/** A folder holding `glacier` -> bin/glacier.js, as the README tells users to install it. */
export async function glacierOnPath(root: string): Promise<string> {
  const bin = join(root, "path-bin");
  await mkdir(bin, { recursive: true });
  await symlink(join(ROOT, "bin", "glacier.js"), join(bin, "glacier")).catch(() => undefined);
  await symlink(join(ROOT, "bin", "git-annex-remote-glacier.js"), join(bin, "git-annex-remote-glacier")).catch(
    () => undefined,
  );
  return bin;
}

export async function annexRepo(root: string, name: string, baseEnv: Record<string, string>): Promise<AnnexRepo> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  const env = {
    ...baseEnv,
    PATH: `${await glacierOnPath(root)}:${baseEnv.PATH ?? process.env.PATH ?? "/usr/bin:/bin"}`,
    GIT_AUTHOR_NAME: "test",
    GIT_AUTHOR_EMAIL: "test@example.invalid",
    GIT_COMMITTER_NAME: "test",
    GIT_COMMITTER_EMAIL: "test@example.invalid",
    GIT_CONFIG_NOSYSTEM: "1",
    GNUPGHOME: baseEnv.GNUPGHOME ?? (await privateGnupgHome(root)),
  };
  const run: AnnexRepo["run"] = async (command, args, options = {}) => {
    const result = await execa(command, args, {
      cwd: options.cwd ?? dir,
      env: { ...env, ...options.env },
      extendEnv: false,
      reject: false,
    });
    return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  const repo: AnnexRepo = { dir, env, run, annex: (args, options) => run("git", ["annex", ...args], options) };
  await run("git", ["init", "-q"]);
  const init = await repo.annex(["init", "-q", name]);
  if (init.exitCode !== 0) throw new Error(`git annex init failed: ${init.stderr}`);
  return repo;
}
