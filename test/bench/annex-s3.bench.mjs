// Benchmarks of git-annex-remote-glacier on S3 (docs/annex-s3.md), against the emulator in its own
// process (loopback, realistic restore times on its virtual clock):
// (a) `git annex copy --to` of 200 files of 4 KiB through our remote (bucket=) and through git-annex's
//     built-in type=S3 remote (which runs in-process) in the same run, rounds alternating which goes
//     first; the median of the rounds judges. Target: ours at most 1.25x the built-in's time.
// (b) `git annex get` of 20 keys of 10 chunks each from DEEP_ARCHIVE: the first run requests every
//     chunk's restore (counted in the emulator's request log: all 200), and once the clock passed the
//     restore time a second run gets every file. Git-annex's own S3 remote restores one chunk per run.
import { spawn } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchDir, fmt, measure, report, spread } from "./lib.mjs";

const FILES = Number(process.env.BENCH_ANNEX_FILES ?? 200);
const ROUNDS = Number(process.env.BENCH_ANNEX_S3_ROUNDS ?? 3);
const SIZE = 4096;
const CHUNKED_KEYS = 20;
const CHUNKS = 10;
const HOUR = 3600;
const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = await benchDir("annex-s3");
await rm(dir, { recursive: true, force: true });
const bin = join(dir, "bin");
const home = join(dir, "home");
await Promise.all([mkdir(bin, { recursive: true }), mkdir(home, { recursive: true })]);
await symlink(join(root, "bin/git-annex-remote-glacier.js"), join(bin, "git-annex-remote-glacier"));

const server = spawn(
  process.execPath,
  [join(root, "bin/glacier-emulator.js"), "--data", join(dir, "emulator"), "--port", "0"],
  { stdio: ["ignore", "pipe", "ignore"] },
);
const url = await new Promise((resolve, reject) => {
  server.stdout.once("data", (d) => resolve(String(d).trim().split("\n")[0]));
  server.once("exit", (code) => reject(new Error(`emulator exited ${code}`)));
});
const control = async (method, path) => {
  const response = await fetch(`${url}/_emulator/${path}`, { method });
  return response.status === 204 ? undefined : response.json();
};
const requests = async () => (await control("GET", "requests")).requests;
const env = {
  PATH: `${bin}:${process.env.PATH}`,
  HOME: home,
  XDG_CACHE_HOME: join(home, ".cache"),
  AWS_ACCESS_KEY_ID: "AKIDBENCH",
  AWS_SECRET_ACCESS_KEY: "bench-secret",
  AWS_REGION: "us-east-1",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "bench@example.org",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "bench@example.org",
};
const gitIn =
  (repo) =>
  async (...args) => {
    const result = await measure("git", args, { cwd: repo, env, stdio: ["ignore", "pipe", "pipe"] });
    return result;
  };
const ok = async (pending) => {
  const result = await pending;
  if (result.code !== 0) throw new Error(`git exited ${result.code}:\n${result.stdout}`);
  return result;
};
const oks = (result) => (result.stdout.match(/ok$/gm) ?? []).length;

async function repoWith(name, count, size) {
  const repo = join(dir, name);
  await mkdir(repo);
  const git = gitIn(repo);
  await ok(git("init", "-q", "-b", "main"));
  await ok(git("annex", "init", "-q", name));
  // git-annex refuses loopback addresses for its own S3 remote unless allowed.
  await ok(git("config", "annex.security.allowed-ip-addresses", "127.0.0.1"));
  const block = Buffer.alloc(size);
  for (let i = 0; i < count; i++)
    await writeFile(join(repo, `file-${String(i).padStart(3, "0")}.bin`), randomFillSync(block));
  await ok(git("annex", "add", "-q", "."));
  await ok(git("commit", "-qm", "files"));
  return git;
}

const ours = (name, bucket, ...extra) => [
  "annex",
  "initremote",
  name,
  "type=external",
  "externaltype=glacier",
  "encryption=none",
  `bucket=${bucket}`,
  `endpoint=${url}`,
  "storageclass=DEEP_ARCHIVE",
  ...extra,
];
const builtin = (name, bucket) => [
  "annex",
  "initremote",
  name,
  "type=S3",
  "encryption=none",
  "host=127.0.0.1",
  `port=${new URL(url).port}`,
  "protocol=http",
  "requeststyle=path",
  `bucket=${bucket}`,
  "datacenter=us-east-1",
  "signature=v4",
  "storageclass=DEEP_ARCHIVE",
];

const results = [];
try {
  // (a) copy --to, ours against the built-in S3 remote.
  const git = await repoWith("copy", FILES, SIZE);
  const runs = { ours: [], builtin: [] };
  const perKey = { ours: 0, builtin: 0 };
  console.log(`git annex copy --to of ${FILES} files of ${SIZE} bytes, ${ROUNDS} rounds, emulator at ${url}`);
  for (let round = 0; round < ROUNDS; round++) {
    await ok(git(...ours(`ours${round}`, `bench-ours-${round}`)));
    await ok(git(...builtin(`builtin${round}`, `bench-builtin-${round}`)));
    const order = round % 2 === 0 ? ["ours", "builtin"] : ["builtin", "ours"];
    for (const which of order) {
      await control("DELETE", "requests");
      const run = await ok(git("annex", "copy", "--to", `${which}${round}`, "."));
      if (oks(run) !== FILES) throw new Error(`${which}: copied ${oks(run)} of ${FILES} files`);
      runs[which].push(run);
      perKey[which] = (await requests()).filter((r) => r.operation !== "_emulator").length / FILES;
      console.log(`  round ${round + 1} ${which.padEnd(7)} ${run.seconds.toFixed(2)} s`);
    }
  }
  const a = spread(runs.ours);
  const b = spread(runs.builtin);
  console.log(
    `ours (git-annex-remote-glacier, bucket=): median ${a.median.toFixed(2)} s ` +
      `(${((a.median / FILES) * 1000).toFixed(1)} ms a file, ${perKey.ours.toFixed(1)} requests a file)`,
  );
  console.log(
    `git-annex's built-in type=S3:            median ${b.median.toFixed(2)} s ` +
      `(${((b.median / FILES) * 1000).toFixed(1)} ms a file, ${perKey.builtin.toFixed(1)} requests a file)`,
  );
  const ratio = a.median / b.median;
  report(
    results,
    `copy --to of ${FILES} x 4 KiB to S3, ours / built-in type=S3`,
    fmt.ratio(ratio),
    "<= 1.25x",
    ratio <= 1.25,
  );

  // (b) one restore wait for every chunk of every key.
  const deep = await repoWith("restore", CHUNKED_KEYS, CHUNKS * SIZE);
  await ok(deep(...ours("deep", "bench-deep", `chunk=${SIZE}`)));
  await ok(deep("annex", "copy", "--to", "deep", "."));
  await ok(deep("annex", "drop", "."));
  await control("DELETE", "requests");
  const first = await deep("annex", "get", ".");
  const restores = (await requests()).filter((r) => r.operation === "RestoreObject");
  const wanted = CHUNKED_KEYS * CHUNKS;
  console.log(
    `get of ${CHUNKED_KEYS} keys of ${CHUNKS} chunks from DEEP_ARCHIVE: ` +
      `first run ${first.seconds.toFixed(2)} s, exit ${first.code}, ` +
      `${restores.length} RestoreObject requests (${restores.filter((r) => r.status === 202).length} accepted)`,
  );
  await control("POST", `clock?advance=${12 * HOUR + 60}`);
  const second = await deep("annex", "get", ".");
  const after = (await requests()).filter((r) => r.operation === "RestoreObject").length;
  console.log(
    `after 12 h on the emulator's clock: second run ${second.seconds.toFixed(2)} s, exit ${second.code}, ` +
      `${oks(second)} of ${CHUNKED_KEYS} files, ${after - restores.length} more restores`,
  );
  report(
    results,
    `restores requested by the first get of ${CHUNKED_KEYS} x ${CHUNKS} chunks`,
    `${restores.length} of ${wanted}`,
    `all ${wanted}, then every file after one wait`,
    restores.length === wanted &&
      first.code !== 0 &&
      second.code === 0 &&
      oks(second) === CHUNKED_KEYS &&
      after === wanted,
  );
} finally {
  server.kill();
  if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
}
process.exitCode = results.every(Boolean) ? 0 : 1;
