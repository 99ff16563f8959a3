// `glacier vault restore [--prefix P] [--tier T] [--wait] [--dry-run] [--force] VAULT DIR` (issue 6
// item 5): every live archive under the prefix (the newest per name) into DIR under its name. Jobs
// are initiated or reused for all of them at once; finished ones are downloaded and verified; the
// rest are reported with exit 75 and a summary. Running it again continues: files already restored
// (same size and tree hash) count as done. Nothing is ever written outside DIR.
import { lstat, mkdir, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { normalizePrefix, stripPrefix } from "../core/archive-prefix.ts";
import { ConsoleError, ExitCode, GlacierCliError, IntegrityError, ServiceError } from "../core/errors.ts";
import { downloadChunkFlag } from "./shared/size-flags.ts";
import { plural } from "../core/human-units.ts";
import { liveArchives } from "../core/live-archives.ts";
import { safeRelativePath } from "../core/safe-path.ts";
import type { CachedArchive, JobDescription, Tier } from "../core/types.ts";
import { assertVaultName } from "../core/vault-name.ts";
import { downloadArchive } from "../glacier/download.ts";
import type { Deps } from "../runtime/deps.ts";
import { parseTier } from "./archive-retrieve.ts";
import { obtainJob } from "./shared/job-runner.ts";
import { expectedReady } from "./shared/job-eta.ts";
import { readManifest } from "./shared/manifest-io.ts";
import type { RawInvocation } from "./types.ts";

export interface RestoreOptions {
  vault: string;
  dir: string;
  prefix: string;
  tier?: Tier;
  wait: boolean;
  dryRun: boolean;
  force: boolean;
  json: boolean;
  chunkSize?: number;
  /** Restore exactly the snapshot this manifest archive records. */
  manifest?: string;
}

export function parse(raw: RawInvocation): RestoreOptions {
  const vault = raw.args[0] as string;
  assertVaultName(vault);
  const options: RestoreOptions = {
    vault,
    dir: raw.args[1] as string,
    prefix: normalizePrefix(raw.flags.prefix as string | undefined),
    wait: raw.flags.wait === true,
    dryRun: raw.flags.dryRun === true,
    force: raw.flags.force === true,
    json: raw.flags.json === true,
  };
  if (typeof raw.flags.manifest === "string") options.manifest = raw.flags.manifest;
  if (raw.flags.tier !== undefined) options.tier = parseTier(String(raw.flags.tier));
  const chunkSize = downloadChunkFlag(raw.flags.multipartSize);
  if (chunkSize !== undefined) options.chunkSize = chunkSize;
  return options;
}

/** Archives failed in a row on service errors (after their own retries) before the rest are skipped. */
const OUTAGE_AFTER = 3;

interface Item {
  name: string;
  target: string;
  archive: CachedArchive;
}

export async function run(options: RestoreOptions, deps: Deps): Promise<ExitCode> {
  const root = resolve(deps.cwd, options.dir);
  const cache = await deps.cache();
  const newest = options.manifest ? await fromManifest(deps, options) : liveArchives(await cache.list(options.vault), options.prefix).newest;
  const items: Item[] = [];
  let failed = 0;
  for (const [name, archive] of newest) {
    const safe = safeRelativePath(stripPrefix(options.prefix, name)!);
    if (!safe.ok) {
      deps.output.warn(`archive ${JSON.stringify(name)} not restored: ${safe.reason}`);
      failed++;
      continue;
    }
    items.push({ name, target: join(root, ...safe.segments), archive });
  }
  if (newest.size === 0) deps.output.warn(`no archive of vault '${options.vault}' under '${options.prefix}' in the cache; if it holds archives uploaded from elsewhere, run 'glacier vault sync ${options.vault}' first`);
  if (options.dryRun) {
    for (const item of items) await deps.output.data(`${item.name}\n`);
    deps.output.info(`dry run: ${plural(items.length, "archive")} would be restored into ${root}; no job was started`);
    return failed > 0 ? ExitCode.failure : ExitCode.ok;
  }

  const todo: Item[] = [];
  let present = 0;
  for (const item of items) {
    const state = await existing(deps, item);
    if (state === "same") present++;
    else if (state === "different" && !options.force) {
      deps.output.warn(`${item.target}: exists and differs from archive ${JSON.stringify(item.name)}; not overwritten (use --force)`);
      failed++;
    } else todo.push(item);
  }

  const glacier = await deps.glacier();
  const jobs = todo.length > 0 ? await glacier.listJobs(options.vault) : [];
  let restored = 0;
  const pending: { item: Item; job?: JobDescription }[] = [];
  const restore = async (item: Item, job: JobDescription) => {
    await refuseSymlinkedFolders(root, item);
    await mkdir(dirname(item.target), { recursive: true });
    await downloadArchive({ port: glacier, job, clock: deps.clock, target: { path: item.target }, ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}) });
    restored++;
    if (options.json) await deps.output.data(`${JSON.stringify({ event: "restored", name: item.name, path: item.target, size: item.archive.size })}\n`);
    else deps.output.info(`restored ${item.name}`);
  };
  // Archives are downloaded one after another, each with its own retries: against a Glacier that
  // fails everything, thousands of archives would take hours to fail. After OUTAGE_AFTER archives in
  // a row failed on service errors or bad bytes the rest are not tried (issue 8: bounded when every request fails).
  let serviceFailuresInARow = 0;
  let notTried = 0;
  const attempt = async (item: Item, wait: boolean) => {
    if (serviceFailuresInARow >= OUTAGE_AFTER) {
      notTried++;
      failed++;
      return true;
    }
    try {
      const outcome = await obtainJob(deps, glacier, options.vault, { kind: "archive", archiveId: item.archive.id, label: item.name }, { wait, jobs: wait ? await glacier.listJobs(options.vault) : jobs, ...(options.tier ? { tier: options.tier } : {}) });
      if (outcome.ready) await restore(item, outcome.job);
      else return false;
      serviceFailuresInARow = 0;
    } catch (error) {
      if (!(error instanceof GlacierCliError)) throw error;
      deps.output.error(`${item.name}: ${error.message}`);
      failed++;
      serviceFailuresInARow = error instanceof ServiceError || error instanceof IntegrityError ? serviceFailuresInARow + 1 : 0;
    }
    return true;
  };
  // First every job is found or started, so they all run at Glacier at the same time.
  for (const item of todo) if (!(await attempt(item, false))) pending.push({ item });
  if (options.wait) {
    for (const p of pending.splice(0)) if (!(await attempt(p.item, true))) pending.push(p);
  }

  if (notTried > 0) deps.output.error(`giving up: ${OUTAGE_AFTER} archives in a row failed against Glacier; ${notTried} more not tried; run the same command again later`);
  const after = await (pending.length > 0 ? glacier.listJobs(options.vault) : Promise.resolve([] as JobDescription[]));
  const ready = expectedReady(pending.map((p) => p.item.archive.id), after, options.tier);
  const summary = `restore of vault '${options.vault}' into ${root}: ${restored} restored, ${present} already present, ${pending.length} pending, ${failed} failed`;
  if (pending.length > 0) {
    deps.output.info(`${summary}; ${ready ? `expected ready by ${ready}; run the same command again then` : "run the same command again to continue"}`);
    return failed > 0 ? ExitCode.failure : ExitCode.pending;
  }
  deps.output.info(summary);
  return failed > 0 ? ExitCode.failure : ExitCode.ok;
}

/**
 * "Nothing is ever written outside DIR": a folder inside DIR that is a symbolic link (planted, or
 * left by an earlier tree) would carry the file out of DIR, since mkdir and the final rename follow
 * it. DIR itself may be a link; the folders below it must be real ones or not exist yet.
 */
async function refuseSymlinkedFolders(root: string, item: Item): Promise<void> {
  const segments = relative(root, item.target).split(sep).slice(0, -1);
  let path = root;
  for (const segment of segments) {
    path = join(path, segment);
    const info = await lstat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (info === undefined) return;
    if (info.isSymbolicLink()) throw new ConsoleError(`not restored: ${path} is a symbolic link, and following it could write outside ${root}`);
  }
}

/** The archives a manifest names, as cache rows (the archive ids are the manifest's, not the newest). */
async function fromManifest(deps: Deps, options: RestoreOptions): Promise<Map<string, CachedArchive>> {
  const manifest = await readManifest(deps, options.vault, options.manifest!, { wait: options.wait, ...(options.tier ? { tier: options.tier } : {}) });
  const rows = new Map<string, CachedArchive>();
  for (const e of manifest.entries) {
    if (stripPrefix(options.prefix, e.name) === undefined) continue;
    rows.set(e.name, { id: e.archiveId, vault: options.vault, name: e.name, treeHash: e.treeHash, size: e.size, lastSeenUpstream: null, createdHere: null, deletedHere: null, creationDate: e.time });
  }
  return rows;
}

/** A file already at the target: the same bytes as the archive (size and tree hash), or not. */
async function existing(deps: Deps, item: Item): Promise<"absent" | "same" | "different"> {
  const info = await stat(item.target).catch(() => undefined);
  if (!info) return "absent";
  if (!info.isFile() || info.size !== item.archive.size || item.archive.treeHash === null) return "different";
  const digest = await deps.hashPool().hashFile(item.target).catch(() => undefined);
  return digest?.treeHash === item.archive.treeHash ? "same" : "different";
}
