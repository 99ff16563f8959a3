// Resolves region, endpoint and credentials once per run (flags, environment, shared config file)
// and derives the cache namespace from them, so that local commands (`archive list`) know which
// rows to show without starting a client or the embedded emulator.
import type { CacheNamespace } from "../cache/namespace.ts";
import { readSharedConfig } from "../glacier/shared-config.ts";
import { resolveSettings, type BackendSettings } from "../glacier/settings.ts";

/** The global flags that choose the backend and how it is reached. */
export interface GlobalOptions {
  region?: string;
  endpointUrl?: string;
  profile?: string;
  cacheDir?: string;
  /** --stall-timeout, seconds (validated by the parser). */
  stallTimeout?: number;
  /** --storage-class: S3 uploads (docs/backends.md#settings). */
  storageClass?: string;
  /** --restore-days: how long a restored S3 copy stays readable. */
  restoreDays?: string;
  debug: boolean;
}

export async function loadBackendSettings(
  global: GlobalOptions,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<BackendSettings> {
  const sharedConfig = await readSharedConfig(env);
  return resolveSettings({ global, env, cwd, ...(sharedConfig !== undefined ? { sharedConfig } : {}) });
}

/** Vaults are told apart by region and service endpoint (see src/cache/README.md). */
export function cacheNamespace(settings: BackendSettings): CacheNamespace {
  const { region, endpoint } = settings;
  if (endpoint.kind === "aws") return { region };
  return { region, endpoint: endpoint.kind === "url" ? endpoint.url : `local:${endpoint.dir}` };
}
