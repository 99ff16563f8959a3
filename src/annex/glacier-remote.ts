// git-annex-remote-glacier: a SpecialRemote over the backend port, the archive cache and
// core. Keys become archive names (`fileprefix` + key); each stored archive is recorded in the
// cache and in git-annex's per-key state, so every clone knows it without an inventory.
import { ConsoleError, InternalError, ServiceError, defined } from "../core/errors.ts";
import type { Backend, RemoteWorld, StoredCreds } from "./glacier-backend.ts";
import { siblingChunkKeys } from "./glacier-chunks.ts";
import { checkEmptyFile, EMPTY_STATE, isEmptyKey, writeEmptyFile } from "./glacier-empty.ts";
import { JobBook } from "./glacier-jobs.ts";
import { CONFIG_SETTINGS, place, readSettings, resolveInitSettings, type RemoteSettings } from "./glacier-config.ts";
import { askBackend, authoritativePort, confirmAbsent } from "./glacier-presence.ts";
import { archiveName, decidePresence, findRecord, parseState, type KeyRecord } from "./glacier-records.ts";
import { storeKey } from "./glacier-store.ts";
import { retrieveArchive } from "./glacier-retrieve.ts";
import { retrieveByRestore, type KeyArchive } from "./glacier-restore.ts";
import { descriptionForName } from "../core/names.ts";
import type { RemoteContext, SpecialRemote } from "./remote.ts";

export type { RemoteWorld } from "./glacier-backend.ts";

/** The creds name git-annex files them under (`.git/annex/creds/<uuid>-glacier`). */
const CREDS = "glacier";

export interface GlacierRemote extends SpecialRemote {
  /** Releases the port (and an in-process emulator) and the cache. */
  close(): Promise<void>;
}

export function glacierRemote(world: RemoteWorld): GlacierRemote {
  let current: { settings: RemoteSettings; backend: Backend; jobs?: JobBook } | undefined;
  const prepared = () => {
    if (!current) throw new InternalError("the remote is used before PREPARE");
    return current;
  };
  const use = async (settings: RemoteSettings, creds: StoredCreds | undefined) => {
    await current?.backend.close();
    current = { settings, backend: world.openBackend(settings, creds) };
    return current;
  };
  const envHasKeys = () => Boolean(world.env.AWS_ACCESS_KEY_ID && world.env.AWS_SECRET_ACCESS_KEY);

  async function record(
    context: RemoteContext,
    key: Uint8Array,
  ): Promise<{ name: string; record: KeyRecord | undefined }> {
    const { settings, backend } = prepared();
    const name = archiveName(settings.filePrefix, key);
    return { name, record: await findRecord(await backend.cache(), settings.vault, name, () => context.getState(key)) };
  }

  /** As record(), and when no record knows the key, the backend itself if its answer is authoritative. */
  async function stored(
    context: RemoteContext,
    key: Uint8Array,
  ): Promise<{ name: string; record: KeyRecord | undefined }> {
    const found = await record(context, key);
    if (found.record) return found;
    const { settings, backend } = prepared();
    return {
      name: found.name,
      record: await askBackend(await authoritativePort(backend, settings.vault), settings.vault, found.name),
    };
  }

  return {
    async initRemote(context) {
      const settings = await resolveInitSettings(context, world.cwd, async (given) => {
        const { backend } = await use(given, undefined);
        return (await backend.settings()).region;
      });
      let creds: StoredCreds | undefined;
      if (envHasKeys()) {
        // Like the built-in remote: the keys in the environment at initremote are remembered for
        // this remote (and embedded in the git-annex branch only with embedcreds=yes).
        await context.setCreds(
          CREDS,
          defined(world.env.AWS_ACCESS_KEY_ID, "world.env.AWS_ACCESS_KEY_ID"),
          defined(world.env.AWS_SECRET_ACCESS_KEY, "world.env.AWS_SECRET_ACCESS_KEY"),
        );
      } else {
        creds = await context.getCreds(CREDS);
      }
      const { backend } = await use(settings, creds);
      const port = await backend.port();
      // "enableremote used to re-create the vault and fail": create it only when it is missing.
      try {
        await port.describeVault(settings.vault);
      } catch (error) {
        if (!(error instanceof ServiceError && error.code === "ResourceNotFoundException")) throw error;
        await port.createVault(settings.vault);
      }
    },

    async prepare(context) {
      const settings = await readSettings(context);
      const { backend } = await use(settings, envHasKeys() ? undefined : await context.getCreds(CREDS));
      // Loading the port's modules and the archive cache takes a second or more (the AWS SDK, sql.js):
      // started now, without waiting and without any request, they load while git-annex prepares its
      // first request. A failure surfaces at the first real use, as before.
      void backend.port().catch(() => undefined);
      void backend.cache().catch(() => undefined);
    },

    async store(context, key, file) {
      const { settings, backend } = prepared();
      if (isEmptyKey(key)) {
        await checkEmptyFile(file, world.cwd);
        await context.setState(key, EMPTY_STATE);
        return;
      }
      const name = archiveName(settings.filePrefix, key);
      const cache = await backend.cache();
      await storeKey({
        context,
        key,
        file,
        name,
        settings,
        backend,
        world,
        lookup: (state) => findRecord(cache, settings.vault, name, state),
      });
    },

    async retrieve(context, key, file) {
      const state = prepared();
      if (isEmptyKey(key)) {
        if ((await context.getState(key)) !== EMPTY_STATE)
          throw new ConsoleError("not present: this empty key was never stored here");
        return writeEmptyFile(file, world.cwd);
      }
      const { settings, backend } = state;
      const { name, record: found } = await stored(context, key);
      // "Never start a job for a key we don't hold: answer 'not present' immediately."
      if (!found) throw new ConsoleError(`not present in ${place(settings)}: no archive of this key is recorded`);
      const port = await backend.port();
      const siblings = async () => {
        const found: KeyArchive[] = [];
        for (const sibling of siblingChunkKeys(key)) {
          const other = await stored(context, sibling);
          if (other.record) found.push({ key: sibling, name: other.name, record: other.record });
        }
        return found;
      };
      // The backend's capability, not its address, says how a retrieval is followed
      // (docs/backends.md#capabilities): restores of single objects through the git-annex branch, or
      // the vault's retrieval jobs.
      if (port.capabilities?.(settings.vault).retrievalNeedsRestore === "per-archive") {
        return retrieveByRestore({
          context,
          port,
          world,
          vault: settings.vault,
          tier: settings.tier,
          restoreDays: settings.restoreDays,
          key,
          name,
          record: found,
          file,
          siblings,
        });
      }
      state.jobs ??= new JobBook(port, settings.vault, world.clock);
      await retrieveArchive({
        context,
        port,
        jobs: state.jobs,
        world,
        vault: settings.vault,
        tier: settings.tier,
        name,
        record: found,
        file,
        siblings,
      });
    },

    async checkPresent(context, key) {
      const { settings, backend } = prepared();
      if (isEmptyKey(key)) return { kind: (await context.getState(key)) === EMPTY_STATE ? "present" : "absent" };
      const authoritative = await authoritativePort(backend, settings.vault);
      if (authoritative) {
        // One HeadObject answers for the backend itself: no record, inventory or policy is needed.
        const stored = await authoritative.findArchive(
          settings.vault,
          descriptionForName(archiveName(settings.filePrefix, key)),
        );
        return { kind: stored ? "present" : "absent" };
      }
      const { record: found } = await record(context, key);
      const presence = decidePresence({
        record: found,
        policy: settings.policy,
        maxAgeHours: settings.maxAgeHours,
        now: world.clock.now(),
      });
      // checkpresent=paranoid: "absent" only once Glacier answers for the vault; unreachable is UNKNOWN.
      if (presence.kind === "absent" && settings.policy === "paranoid")
        return confirmAbsent(await backend.port(), settings.vault);
      return presence;
    },

    async remove(context, key) {
      const { settings, backend } = prepared();
      if (isEmptyKey(key)) {
        if ((await context.getState(key)) !== "") await context.setState(key, "");
        return;
      }
      const name = archiveName(settings.filePrefix, key);
      const cache = await backend.cache();
      const state = await context.getState(key);
      const ids = new Set((await cache.lookup(settings.vault, `name:${name}`)).map((row) => row.id));
      const fromState = parseState(state);
      if (fromState) ids.add(fromState.archiveId);
      // Stored by a clone whose records this one has not seen yet: the backend itself knows.
      const authoritative = await authoritativePort(backend, settings.vault);
      const stored = await authoritative?.findArchive(settings.vault, descriptionForName(name));
      if (stored) ids.add(stored.archiveId);
      for (const id of ids) {
        try {
          await (await backend.port()).deleteArchive(settings.vault, id);
        } catch (error) {
          // "SUCCESS also when the key was already absent": an archive (or vault) already gone is removed.
          if (!(error instanceof ServiceError && error.code === "ResourceNotFoundException")) throw error;
        }
        await cache.markDeleted(settings.vault, id);
      }
      if (state !== "") await context.setState(key, "");
    },

    listConfigs: () => Promise.resolve(CONFIG_SETTINGS),
    // "Answer ... GETCOST with COST 1000 (the built-in glacier default), and GETAVAILABILITY with AVAILABILITY GLOBAL".
    getCost: () => Promise.resolve(1000),
    getAvailability: () => Promise.resolve("GLOBAL"),
    exportSupported: () => Promise.resolve(false),

    async whereis(context, key) {
      const { settings } = prepared();
      if (isEmptyKey(key))
        return (await context.getState(key)) === EMPTY_STATE ? "empty content, no archive needed" : undefined;
      const { record: found } = await record(context, key);
      return found ? `archive ${found.archiveId} in ${place(settings)}` : undefined;
    },

    async getInfo() {
      const { settings, backend } = prepared();
      const resolved = await backend.settings();
      const endpoint =
        resolved.endpoint.kind === "aws"
          ? "AWS"
          : resolved.endpoint.kind === "url"
            ? resolved.endpoint.url
            : `local:${resolved.endpoint.dir}`;
      return [
        { name: "vault", value: settings.vault },
        { name: "region", value: resolved.region },
        { name: "endpoint", value: endpoint },
        { name: "retrieval tier", value: settings.tier },
        ...(settings.storageClass !== undefined ? [{ name: "storage class", value: settings.storageClass }] : []),
        ...(settings.restoreDays !== undefined ? [{ name: "restore days", value: String(settings.restoreDays) }] : []),
        {
          name: "checkpresent",
          value: settings.policy === "maxage" ? `maxage (${settings.maxAgeHours} hours)` : settings.policy,
        },
      ];
    },

    close: async () => current?.backend.close(),
  };
}
