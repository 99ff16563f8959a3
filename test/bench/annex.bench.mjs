// Benchmark of git-annex-remote-glacier: `git annex copy --to` of 200 files of 4 KiB
// through this remote against git-annex's built-in type=glacier remote driving our `glacier` CLI (one
// process per command: the probe, checkpresent and upload for every file), in the same run against
// the same emulator (its own process, on loopback). Target: the external remote >= 3x faster.
import { spawn } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchDir, fmt, measure, report } from "./lib.mjs";

const FILES = Number(process.env.BENCH_ANNEX_FILES ?? 200);
const SIZE = 4096;
const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = await benchDir("annex");
await rm(dir, { recursive: true, force: true });
const bin = join(dir, "bin");
const home = join(dir, "home");
const repo = join(dir, "repo");
await Promise.all([
  mkdir(bin, { recursive: true }),
  mkdir(home, { recursive: true }),
  mkdir(repo, { recursive: true }),
]);
// git-annex runs programs by exact name: `git-annex-remote-glacier` and `glacier`, as npm installs them.
await symlink(join(root, "bin/git-annex-remote-glacier.js"), join(bin, "git-annex-remote-glacier"));
await symlink(join(root, "bin/glacier.js"), join(bin, "glacier"));

const server = spawn(
  process.execPath,
  [join(root, "bin/glacier-emulator.js"), "--data", join(dir, "emulator"), "--port", "0"],
  {
    stdio: ["ignore", "pipe", "ignore"],
  },
);
const url = await new Promise((resolve, reject) => {
  server.stdout.once("data", (d) => resolve(String(d).trim().split("\n")[0]));
  server.once("exit", (code) => reject(new Error(`emulator exited ${code}`)));
});
const env = {
  PATH: `${bin}:${process.env.PATH}`,
  HOME: home,
  XDG_CACHE_HOME: join(home, ".cache"),
  AWS_ENDPOINT_URL_GLACIER: url,
  AWS_ACCESS_KEY_ID: "AKIDBENCH",
  AWS_SECRET_ACCESS_KEY: "bench-secret",
  AWS_REGION: "us-east-1",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "bench@example.org",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "bench@example.org",
};
const git = async (...args) => {
  const result = await measure("git", args, { cwd: repo, env });
  if (result.code !== 0) throw new Error(`git ${args.join(" ")} exited ${result.code}`);
  return result;
};

const results = [];
try {
  await git("init", "-q", "-b", "main");
  await git("annex", "init", "-q", "bench");
  const block = Buffer.alloc(SIZE);
  for (let i = 0; i < FILES; i++)
    await writeFile(join(repo, `file-${String(i).padStart(3, "0")}.bin`), randomFillSync(block));
  await git("annex", "add", "-q", ".");
  await git("commit", "-qm", "files");
  await git(
    "annex",
    "initremote",
    "external",
    "type=external",
    "externaltype=glacier",
    "encryption=none",
    "vault=bench-external",
  );
  await git("annex", "initremote", "builtin", "type=glacier", "encryption=none", "vault=bench-builtin");

  console.log(`git annex copy --to of ${FILES} files of ${SIZE} bytes, emulator at ${url}`);
  const external = await git("annex", "copy", "--to", "external", ".");
  const builtin = await git("annex", "copy", "--to", "builtin", ".");
  const count = (result) => (result.stdout.match(/ok$/gm) ?? []).length;
  if (count(external) !== FILES || count(builtin) !== FILES)
    throw new Error(`copied ${count(external)} and ${count(builtin)} of ${FILES} files`);
  console.log(
    `external remote (git-annex-remote-glacier): ${external.seconds.toFixed(1)} s (` +
      `${((external.seconds / FILES) * 1000).toFixed(0)} ms a file)`,
  );
  console.log(
    `built-in type=glacier with our glacier CLI: ${builtin.seconds.toFixed(1)} s (` +
      `${((builtin.seconds / FILES) * 1000).toFixed(0)} ms a file)`,
  );
  const ratio = builtin.seconds / external.seconds;
  report(
    results,
    `copy --to of ${FILES} x 4 KiB, external remote vs built-in glacier remote`,
    fmt.ratio(ratio),
    ">= 3.00x",
    ratio >= 3,
  );
} finally {
  server.kill();
  if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
}
process.exitCode = results.every(Boolean) ? 0 : 1;
