// Manifest archives (issue 6 item 6): written after a committed reconcile, read back by
// `vault restore --manifest NAME`. A manifest is small (one line per band), so it travels whole.
import { Readable, Writable } from "node:stream";
import { ConsoleError, PendingError } from "../../core/errors.ts";
import { decodeManifest, encodeManifest, snapshotManifest, type Manifest } from "../../core/manifest.ts";
import { manifestName } from "../../core/manifest-name.ts";
import { descriptionForName } from "../../core/names.ts";
import { pyRepr } from "../../core/py-repr.ts";
import type { Tier } from "../../core/types.ts";
import { downloadArchive } from "../../glacier/download.ts";
import { uploadArchive } from "../../glacier/upload.ts";
import type { Deps } from "../../runtime/deps.ts";
import { obtainJob } from "./job-runner.ts";
import { resolveArchive } from "./resolve.ts";

/** Uploads the snapshot of the live archives under the prefix; returns its archive name. */
export async function writeManifest(deps: Deps, vault: string, prefix: string): Promise<string> {
  const [glacier, cache] = await Promise.all([deps.glacier(), deps.cache()]);
  const now = deps.clock.now();
  const { manifest, incomplete } = snapshotManifest(await cache.list(vault), vault, prefix, now);
  if (incomplete.length > 0) {
    throw new ConsoleError(`no manifest written: the cache lacks the size or tree hash of ${incomplete.length} archives under '${prefix}'; run 'glacier vault sync ${vault}' first`);
  }
  const name = manifestName(prefix, now);
  const body = Buffer.from(encodeManifest(manifest));
  const uploaded = await uploadArchive({ port: glacier, vault, description: descriptionForName(name), source: { stream: Readable.from([body]), name } });
  await cache.recordUpload(vault, { id: uploaded.archiveId, name, treeHash: uploaded.treeHash, size: uploaded.size });
  return name;
}

/** Retrieves and decodes a manifest archive; PendingError (exit 75) while its job runs. */
export async function readManifest(deps: Deps, vault: string, ref: string, options: { wait: boolean; tier?: Tier }): Promise<Manifest> {
  const [glacier, cache] = await Promise.all([deps.glacier(), deps.cache()]);
  const archive = await resolveArchive(cache, vault, ref);
  const outcome = await obtainJob(deps, glacier, vault, { kind: "archive", archiveId: archive.id, label: ref }, { wait: options.wait, ...(options.tier ? { tier: options.tier } : {}) });
  if (!outcome.ready) throw new PendingError(`${outcome.message} (the manifest; run the same command again when it is ready)`);
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await downloadArchive({ port: glacier, job: outcome.job, clock: deps.clock, target: { stream: sink } });
  const manifest = decodeManifest(Buffer.concat(chunks), `manifest ${pyRepr(ref)}`);
  if (manifest.vault !== vault) throw new ConsoleError(`manifest ${pyRepr(ref)} describes vault ${pyRepr(manifest.vault)}, not ${pyRepr(vault)}`);
  return manifest;
}
