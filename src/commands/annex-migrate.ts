// `glacier annex-migrate --from VAULTREMOTE --to S3REMOTE [--dry-run]`, run inside a git-annex
// repository (docs/migrate.md#git-annex-repositories): after `glacier vault migrate --annex-layout`
// copied a vault remote's archives to S3, records that our S3 remote holds each key the repository
// believes is in the vault remote, once HeadObject shows its object (every chunk of a chunked key)
// with the expected size and a tree hash. No content passes through the repository.
import { annexKeySize } from "../core/annex-key.ts";
import { keyObjects } from "../core/annex-layout.ts";
import { migrationSetup, parseRemoteLog, type MigrationSetup } from "../core/annex-remotes.ts";
import { ConsoleError, defined, UsageError } from "../core/errors.ts";
import { descriptionForName } from "../core/names.ts";
import { git } from "../platform/git.ts";
import type { BackendPort } from "../backend/port.ts";
import type { Deps } from "./deps.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface AnnexMigrateOptions {
  from: string;
  to: string;
  dryRun: boolean;
}

export function parse(raw: Invocation<typeof specs.annexMigrate>): AnnexMigrateOptions {
  const from = raw.flags.from;
  const to = raw.flags.to;
  if (typeof from !== "string" || from === "") throw new UsageError("--from REMOTE: the vault remote is required");
  if (typeof to !== "string" || to === "") throw new UsageError("--to REMOTE: the S3 remote is required");
  return { from, to, dryRun: raw.flags.dryRun };
}

/** HeadObject requests in flight. */
const CONCURRENCY = 16;

/** Why the key's objects are not as expected in the S3 remote, or undefined when they are. */
async function problem(port: BackendPort, setup: MigrationSetup, key: string): Promise<string | undefined> {
  const objects = keyObjects(key, setup.chunkSize);
  if (!objects) return "a chunked key without a size: its chunk keys cannot be named";
  for (const object of objects) {
    const name = setup.filePrefix + object.name;
    const where = `${setup.address.replace(/\/?$/, "/")}${name}`;
    if (!port.findArchive) throw new ConsoleError(`${setup.address}: the backend cannot look up one object`);
    const found = await port.findArchive(setup.address, descriptionForName(name));
    if (!found) return `${where} is missing, or has no tree hash in its metadata`;
    if (object.size !== undefined && found.size !== object.size)
      return `${where} holds ${found.size} bytes, the key says ${object.size}`;
  }
  return undefined;
}

export async function run(options: AnnexMigrateOptions, deps: Deps): Promise<void> {
  const cwd = deps.cwd;
  // Remote branches' git-annex records first, so a fresh clone sees every remote and location.
  await git(cwd, ["annex", "merge", "--quiet"]);
  const remotes = parseRemoteLog(await git(cwd, ["cat-file", "-p", "refs/heads/git-annex:remote.log"]));
  const setup = migrationSetup(remotes, options.from, options.to);
  if (setup.sameUuid) {
    deps.output.info(
      `${options.to} was made --sameas=${options.from} and shares its uuid: git-annex already counts ` +
        `${options.from}'s keys for it; nothing to record`,
    );
    return;
  }
  const uuidOf = (name: string) => defined(remotes.find((remote) => remote.name === name)?.uuid, name);
  const findKeys = async (uuid: string) =>
    (await git(cwd, ["annex", "findkeys", `--in=${uuid}`, "--format=${key}\\n"])).split("\n").filter(Boolean);
  const [inVault, recorded] = await Promise.all([findKeys(uuidOf(options.from)), findKeys(uuidOf(options.to))]);
  const already = new Set(recorded);
  const fresh = inVault.filter((key) => !already.has(key));
  const empty = fresh.filter((key) => annexKeySize(key) === 0);
  const todo = fresh.filter((key) => annexKeySize(key) !== 0);
  const port = await deps.glacier();
  const present: string[] = [];
  const missing: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let key = todo[next++]; key !== undefined; key = todo[next++]) {
      const why = await problem(port, setup, key);
      if (why === undefined) present.push(key);
      else {
        missing.push(key);
        deps.output.warn(`${key}: ${why}; not recorded`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));
  present.sort();
  const toUuid = uuidOf(options.to);
  if (!options.dryRun && present.length > 0) {
    await git(cwd, ["annex", "setpresentkey", "--batch"], present.map((key) => `${key} ${toUuid} 1\n`).join(""));
    // setpresentkey leaves its records in the journal (.git/annex/journal), outside the git-annex branch that
    // a push or a clone carries; merge commits the journal to the branch.
    await git(cwd, ["annex", "merge", "--quiet"]);
  }
  if (present.length > 0) await deps.output.data(present.map((key) => `${key}\n`).join(""));
  for (const key of empty)
    deps.output.warn(`${key}: empty content has no object; run git annex copy --to=${options.to} for it`);
  deps.output.info(
    `${options.dryRun ? "would record" : "recorded"} ${present.length} keys in ${options.to} (${setup.address}); ` +
      `${inVault.length - fresh.length} already recorded; ` +
      `${missing.length} not found as expected`,
  );
  if (missing.length > 0)
    throw new ConsoleError(`${missing.length} of ${todo.length} keys are not in ${setup.address} as expected`);
}
