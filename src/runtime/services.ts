// The backend services both programs use, built in one place (docs/architecture.md#the-composition-root):
// settings resolved once from flags, environment and the shared config file; the port (local:DIR
// starts the emulator in-process); the archive cache of that region and endpoint. Each is opened on
// first use, so `glacier --help` and git-annex's PREPARE never load the AWS SDK or the cache.
import type { ArchiveCache } from "../cache/archive-cache.ts";
import type { Clock } from "../core/clock.ts";
import type { BackendPort } from "../backend/port.ts";
import type { LocalEmulator } from "../glacier/local.ts";
import type { BackendSettings } from "../glacier/settings.ts";
import type { GlobalOptions } from "../services/backend-settings.ts";

export interface ServicesInput {
  global: GlobalOptions;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  clock: Clock;
  /** A warning for the user (cache repairs, unreadable files). */
  warn: (message: string) => void;
  /** Sockets per host: at least the transfer concurrency. */
  maxSockets?: number;
}

export interface Services {
  settings(): Promise<BackendSettings>;
  /** The port of every backend, routing each VAULT address to its plugin (src/backend/plugins.ts). */
  glacier(): Promise<BackendPort>;
  cache(): Promise<ArchiveCache>;
  /** Releases whatever was started (servers, sockets, files), also what is still opening. */
  close(): Promise<void>;
}

export function openServices(input: ServicesInput): Services {
  let settings: Promise<BackendSettings> | undefined;
  let port: Promise<BackendPort> | undefined;
  // local:DIR: one in-process emulator per folder, serving the vaults and the buckets alike.
  const locals = new Map<string, Promise<LocalEmulator>>();
  const startLocal = (dir: string, region: string): Promise<LocalEmulator> => {
    let local = locals.get(dir);
    if (!local) {
      local = import("../glacier/local.ts").then(async ({ startLocalEmulator }) => {
        const started = await startLocalEmulator(dir, region);
        closers.push(() => started.close());
        return started;
      });
      locals.set(dir, local);
    }
    return local;
  };
  let cache: Promise<ArchiveCache> | undefined;
  const closers: (() => Promise<void>)[] = [];
  const services: Services = {
    settings() {
      settings ??= import("../services/backend-settings.ts").then(({ loadBackendSettings }) =>
        loadBackendSettings(input.global, input.env, input.cwd),
      );
      return settings;
    },
    glacier() {
      // Imported lazily: the AWS SDK costs start-up time that --help and local commands never pay.
      port ??= Promise.all([import("../backend/plugins.ts"), services.settings()]).then(
        ([{ routingPort }, resolved]) => {
          const opened = routingPort({
            settings: resolved,
            ...(input.global.stallTimeout !== undefined ? { stallTimeout: input.global.stallTimeout } : {}),
            ...(input.global.storageClass !== undefined ? { storageClass: input.global.storageClass } : {}),
            ...(input.global.restoreDays !== undefined ? { restoreDays: input.global.restoreDays } : {}),
            env: input.env,
            clock: input.clock,
            startLocal,
            ...(input.maxSockets !== undefined ? { maxSockets: input.maxSockets } : {}),
          });
          // Closed before the emulators it talks to (closers run in order).
          closers.unshift(() => opened.close());
          return opened;
        },
      );
      return port;
    },
    cache() {
      cache ??= Promise.all([
        import("../cache/index.ts"),
        import("../services/backend-settings.ts"),
        services.settings(),
      ]).then(async ([{ openCache, cacheDirFromEnv }, { cacheNamespace }, resolved]) => {
        const opened = await openCache({
          dir: cacheDirFromEnv(input.env, input.global.cacheDir, input.cwd),
          namespace: cacheNamespace(resolved),
          clock: input.clock,
          warn: input.warn,
        });
        closers.push(() => opened.close());
        return opened;
      });
      return cache;
    },
    async close() {
      // A resource still opening when the command failed (Promise.all rejects on the first failure,
      // e.g. an unwritable cache beside a local:DIR emulator) registers its closer only when it
      // resolves: wait for it, or its server or sockets keep the process alive for ever.
      await Promise.allSettled([port, cache, ...locals.values()]);
      // The ports first, then the emulators they talk to.
      for (const close of closers.splice(0)) await close().catch(() => undefined);
    },
  };
  return services;
}
