// The Glacier port and the archive cache for one remote process, opened on first use: PREPARE must
// stay cheap ("do no network I/O in it"), and GETCOST or WHEREIS never need the AWS SDK. Both are
// the same ones the CLI uses, so `glacier archive list VAULT` shows what the remote stored.
import type { ArchiveCache } from "../cache/archive-cache.ts";
import type { Clock } from "../core/clock.ts";
import { ConsoleError, NoCredentialsError } from "../core/errors.ts";
import type { GlacierPort } from "../glacier/port.ts";
import type { BackendSettings } from "../glacier/settings.ts";
import type { RemoteSettings } from "./glacier-config.ts";

export interface RemoteWorld {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  clock: Clock;
  /** A line for the user on stderr (git-annex relays it). */
  warn(message: string): void;
}

export interface Backend {
  settings(): Promise<BackendSettings>;
  port(): Promise<GlacierPort>;
  cache(): Promise<ArchiveCache>;
  close(): Promise<void>;
}

export interface StoredCreds {
  user: string;
  password: string;
}

/**
 * `creds` are the ones git-annex keeps for this remote (GETCREDS), used when the environment has
 * none: the built-in remote reads "env, then the cache, then the embedded config" the same way.
 */
export function openBackend(remote: RemoteSettings, creds: StoredCreds | undefined, world: RemoteWorld): Backend {
  const env = { ...world.env };
  if (creds && creds.user !== "" && creds.password !== "" && !(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)) {
    env.AWS_ACCESS_KEY_ID = creds.user;
    env.AWS_SECRET_ACCESS_KEY = creds.password;
    delete env.AWS_SESSION_TOKEN;
  }
  const global = {
    debug: false,
    ...(remote.region !== "" ? { region: remote.region } : {}),
    ...(remote.endpoint !== "" ? { endpointUrl: remote.endpoint } : {}),
  };
  let settings: Promise<BackendSettings> | undefined;
  let port: Promise<GlacierPort> | undefined;
  let cache: Promise<ArchiveCache> | undefined;
  const closers: (() => Promise<void>)[] = [];
  const backend: Backend = {
    settings() {
      settings ??= import("../runtime/backend-settings.ts").then(({ loadBackendSettings }) =>
        loadBackendSettings(global, env, world.cwd),
      );
      return settings;
    },
    port() {
      port ??= import("../glacier/open.ts").then(async ({ openGlacier }) => {
        const opened = await openGlacier({ global, env, cwd: world.cwd, clock: world.clock, maxSockets: 8 });
        closers.push(() => opened.close());
        return withRemoteAdvice(opened);
      });
      return port;
    },
    cache() {
      cache ??= Promise.all([
        import("../cache/index.ts"),
        import("../runtime/backend-settings.ts"),
        backend.settings(),
      ]).then(async ([{ openCache, cacheDirFromEnv }, { cacheNamespace }, resolved]) => {
        const opened = await openCache({
          dir: cacheDirFromEnv(env, undefined, world.cwd),
          namespace: cacheNamespace(resolved),
          clock: world.clock,
          warn: world.warn,
        });
        closers.push(() => opened.close());
        return opened;
      });
      return cache;
    },
    async close() {
      await Promise.allSettled(closers.splice(0).map((close) => close()));
    },
  };
  return backend;
}

// The CLI's advice names its flags (--profile, --endpoint-url); a git-annex user has settings instead.
const REMOTE_NO_CREDENTIALS =
  "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) and run git annex enableremote, " +
  "or initialise the remote with embedcreds=yes, or use endpoint=local:DIR";

function withRemoteAdvice(port: GlacierPort): GlacierPort {
  const wrapped = { ...port } as Record<string, unknown>;
  for (const [name, member] of Object.entries(port)) {
    if (typeof member !== "function" || name === "close") continue;
    wrapped[name] = (...args: unknown[]) =>
      (member as (...a: unknown[]) => Promise<unknown>).apply(port, args).catch((error: unknown) => {
        throw error instanceof NoCredentialsError ? new ConsoleError(REMOTE_NO_CREDENTIALS, { cause: error }) : error;
      });
  }
  return wrapped as unknown as GlacierPort;
}
