// The git-annex remote's composition root: the remote's settings (region, endpoint) and stored
// credentials become the global options and environment of the same backend services the CLI uses
// (src/runtime/services.ts).
import type { Backend, RemoteWorld, StoredCreds } from "../annex/glacier-backend.ts";
import type { RemoteSettings } from "../annex/glacier-config.ts";
import { ConsoleError, NoCredentialsError } from "../core/errors.ts";
import type { GlacierPort } from "../glacier/port.ts";
import { openServices } from "./services.ts";

/**
 * `creds` are the ones git-annex keeps for this remote (GETCREDS), used when the environment has
 * none: the built-in remote reads "env, then the cache, then the embedded config" the same way.
 */
export function openRemoteBackend(
  remote: RemoteSettings,
  creds: StoredCreds | undefined,
  world: Omit<RemoteWorld, "openBackend">,
): Backend {
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
    // A remote on S3 (docs/annex-s3.md): its settings, as the CLI's --storage-class and --restore-days.
    ...(remote.storageClass !== undefined ? { storageClass: remote.storageClass } : {}),
    ...(remote.restoreDays !== undefined ? { restoreDays: String(remote.restoreDays) } : {}),
  };
  const services = openServices({ global, env, cwd: world.cwd, clock: world.clock, warn: world.warn, maxSockets: 8 });
  let port: Promise<GlacierPort> | undefined;
  return {
    settings: () => services.settings(),
    port() {
      port ??= services.glacier().then(withRemoteAdvice);
      return port;
    },
    cache: () => services.cache(),
    close: () => services.close(),
  };
}

// The CLI's advice names its flags (--profile, --endpoint-url); a git-annex user has settings instead.
const REMOTE_NO_CREDENTIALS =
  "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) and run git " +
  "annex enableremote, " +
  "or initialise the remote with embedcreds=yes, or use endpoint=local:DIR";

function withRemoteAdvice(port: GlacierPort): GlacierPort {
  const wrapped = { ...port } as Record<string, unknown>;
  for (const [name, member] of Object.entries(port)) {
    if (typeof member !== "function" || name === "close") continue;
    wrapped[name] = (...args: unknown[]) => {
      const result = (member as (...a: unknown[]) => unknown).apply(port, args);
      // `capabilities` answers at once; every operation is a promise.
      if (!(result instanceof Promise)) return result;
      return result.catch((error: unknown) => {
        throw error instanceof NoCredentialsError ? new ConsoleError(REMOTE_NO_CREDENTIALS, { cause: error }) : error;
      });
    };
  }
  return wrapped as unknown as GlacierPort;
}
