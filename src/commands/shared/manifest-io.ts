// Manifest archives (docs/restore.md): written after a committed reconcile or a
// multi-upload, read back by `vault restore --manifest NAME`. A manifest is small (one line per
// band), so it travels whole. One written from here is also kept beside the cache (runtime/
// tree-record.ts), so reading it back needs no retrieval job.
import { Readable, Writable } from "node:stream";
import { ConsoleError, PendingError } from "../../core/errors.ts";
import { decodeManifest, encodeManifest, snapshotManifest, type Manifest } from "../../core/manifest.ts";
import { treeManifest, type TreeSnapshot } from "../../core/tree-manifest.ts";
import { TreeRecords } from "../../services/tree-record.ts";
import { manifestName } from "../../core/manifest-name.ts";
import { descriptionForName } from "../../core/names.ts";
import { pyRepr } from "../../core/py-repr.ts";
import type { CachedArchive, JobDescription, Tier } from "../../core/types.ts";
import { downloadArchive } from "../../glacier/download.ts";
import { uploadArchive } from "../../glacier/upload.ts";
import type { Deps } from "../deps.ts";
import { obtainJob } from "./job-runner.ts";
import { resolveArchive } from "./resolve.ts";

/** A tree just backed up from `root`: what the manifest describes. */
export interface BackedUpTree {
  root: string;
  snapshot: TreeSnapshot;
}

/**
 * Records the tree as the latest state of the prefix (for a plain `vault restore` and reconcile's
 * prefix memory). Returns the manifest, or undefined when the cache cannot describe every file.
 */
export async function recordTree(
  deps: Deps,
  vault: string,
  prefix: string,
  tree: BackedUpTree,
): Promise<{ manifest: Manifest; incomplete: string[] }> {
  const [cache, settings] = await Promise.all([deps.cache(), deps.settings()]);
  const result = treeManifest(tree.snapshot, await cache.list(vault), vault, prefix, deps.clock.now());
  if (result.incomplete.length === 0)
    TreeRecords.load(cache.dir, settings.region, vault).save(tree.root, result.manifest);
  return result;
}

/**
 * Uploads the manifest of the tree just backed up (or, without one, of the live archives under the
 * prefix); returns its archive name.
 */
export async function writeManifest(deps: Deps, vault: string, prefix: string, tree?: BackedUpTree): Promise<string> {
  const [glacier, cache, settings] = await Promise.all([deps.glacier(), deps.cache(), deps.settings()]);
  const now = deps.clock.now();
  const { manifest, incomplete } = tree
    ? await recordTree(deps, vault, prefix, tree)
    : snapshotManifest(await cache.list(vault), vault, prefix, now);
  if (incomplete.length > 0) {
    throw new ConsoleError(
      `no manifest written: the cache lacks the size or tree hash of ${incomplete.length} archives under '` +
        `${prefix}'; run 'glacier vault sync ${vault}' first`,
    );
  }
  const name = manifestName(prefix, manifest.createdAt);
  const body = Buffer.from(encodeManifest(manifest));
  const uploaded = await uploadArchive({
    port: glacier,
    vault,
    description: descriptionForName(name),
    source: { stream: Readable.from([body]), name },
  });
  await cache.recordUpload(vault, { id: uploaded.archiveId, name, treeHash: uploaded.treeHash, size: uploaded.size });
  TreeRecords.load(cache.dir, settings.region, vault).keepManifest(name, body);
  return name;
}

/**
 * Reads a manifest archive: kept beside the cache when written here, else retrieved (PendingError,
 * exit 75, while its job runs). With dryRun no job is started: undefined when none is finished yet.
 */
export async function readManifest(
  deps: Deps,
  vault: string,
  ref: string,
  options: { wait: boolean; tier?: Tier; dryRun?: boolean },
): Promise<Manifest | undefined> {
  const [glacier, cache, settings] = await Promise.all([deps.glacier(), deps.cache(), deps.settings()]);
  const archive = await resolveArchive(cache, vault, ref);
  const kept = TreeRecords.load(cache.dir, settings.region, vault).keptManifest(archive.name ?? ref, archive.treeHash);
  if (kept) return checked(decodeManifest(kept, `manifest ${pyRepr(ref)}`), vault, ref);
  const target = { kind: "archive" as const, archiveId: archive.id, label: ref };
  if (options.dryRun) {
    const job = (await glacier.listJobs(vault)).find(
      (j) => j.archiveId === archive.id && j.status === "Succeeded" && j.action === "ArchiveRetrieval",
    );
    if (!job) return undefined;
    return checked(await fetchManifest(deps, job, ref, archive), vault, ref);
  }
  const outcome = await obtainJob(deps, glacier, vault, target, {
    wait: options.wait,
    ...(options.tier ? { tier: options.tier } : {}),
  });
  if (!outcome.ready)
    throw new PendingError(`${outcome.message} (the manifest; run the same command again when it is ready)`);
  return checked(await fetchManifest(deps, outcome.job, ref, archive), vault, ref);
}

function checked(manifest: Manifest, vault: string, ref: string): Manifest {
  if (manifest.vault !== vault)
    throw new ConsoleError(`manifest ${pyRepr(ref)} describes vault ${pyRepr(manifest.vault)}, not ${pyRepr(vault)}`);
  return manifest;
}

async function fetchManifest(deps: Deps, job: JobDescription, ref: string, archive: CachedArchive): Promise<Manifest> {
  const glacier = await deps.glacier();
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  // The manifest is checked against its cache row too: the entries it lists are then trusted.
  const known = { size: archive.size, treeHash: archive.treeHash, source: "the archive cache" };
  await downloadArchive({ port: glacier, job, clock: deps.clock, known, target: { stream: sink, name: "memory" } });
  return decodeManifest(Buffer.concat(chunks), `manifest ${pyRepr(ref)}`);
}
