// TRANSFER STORE of a key with content: one archive per key, whatever runs at the same time. The
// name is locked in the archive cache for the whole upload (several remote processes, two clones
// sharing one cache), and looked up again once held: a process that waited finds the archive the
// other one stored and uploads nothing. An upload interrupted by a kill (its intent open, its owner
// gone) is resumed from the parts Glacier kept, from whichever clone's path holds the key.
import { describeOwner } from "../cache/owner.ts";
import { descriptionForName } from "../core/names.ts";
import { uploadArchive } from "../glacier/upload.ts";
import { CacheUploadJournal } from "../services/cache-upload-journal.ts";
import type { Backend, RemoteWorld } from "./glacier-backend.ts";
import { place, type RemoteSettings } from "./glacier-config.ts";
import { progressSender, uploadSource } from "./glacier-files.ts";
import { formatState, type KeyRecord } from "./glacier-records.ts";
import type { RemoteContext } from "./remote.ts";

export interface StoreRequest {
  context: RemoteContext;
  key: Uint8Array;
  file: Uint8Array;
  name: string;
  settings: RemoteSettings;
  backend: Backend;
  world: RemoteWorld;
  /** The key's archive as the cache knows it now, else as `state` (the git-annex state) says. */
  lookup: (state: () => Promise<string>) => Promise<KeyRecord | undefined>;
}

export async function storeKey(request: StoreRequest): Promise<void> {
  const { context, key, name, settings, backend, world } = request;
  // The state is asked for once: the git-annex branch does not change while we wait for the lock,
  // the shared cache does (another process's upload lands there).
  let stateOnce: Promise<string> | undefined;
  const state = () => (stateOnce ??= context.getState(key));
  if (await alreadyStored(request, state)) return;
  const cache = await backend.cache();
  const release = await cache.lockName(settings.vault, name, {
    onWait: (holder) =>
      context.info(`waiting for ${describeOwner(holder)}, which is storing this key in ${place(settings)}`),
  });
  try {
    if (await alreadyStored(request, state)) return;
    const port = await backend.port();
    const journal = new CacheUploadJournal(cache, name, { anyPath: true });
    const progress = progressSender((bytes) => context.progress(bytes));
    const result = await uploadArchive({
      port,
      vault: settings.vault,
      description: descriptionForName(name),
      source: uploadSource(request.file, world.cwd),
      journal,
      onProgress: (done) => {
        progress.update(done);
      },
      ...(settings.partSize ? { partSize: settings.partSize } : {}),
    }).finally(() => progress.flush());
    if (!journal.recorded.has(result.archiveId)) {
      await cache.recordUpload(settings.vault, {
        id: result.archiveId,
        name,
        treeHash: result.treeHash,
        size: result.size,
      });
    }
    await context.setState(
      key,
      formatState({
        archiveId: result.archiveId,
        treeHash: result.treeHash,
        size: result.size,
        uploadedAt: world.clock.now(),
      }),
    );
  } finally {
    release();
  }
}

/** "storeKey when already present -> success", and no second archive (no duplicates). */
async function alreadyStored(
  { context, key, world, lookup }: StoreRequest,
  state: () => Promise<string>,
): Promise<boolean> {
  const existing = await lookup(state);
  if (!existing) return false;
  if (existing.from === "cache" && (await state()) === "" && existing.treeHash && existing.size !== null) {
    const uploadedAt = existing.createdHere ?? world.clock.now();
    await context.setState(
      key,
      formatState({ archiveId: existing.archiveId, treeHash: existing.treeHash, size: existing.size, uploadedAt }),
    );
  }
  return true;
}
