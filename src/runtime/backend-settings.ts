// Resolves region, endpoint and credentials once per run (flags, environment, shared config file)
// and derives the cache namespace from them, so that local commands (`archive list`) know which
// rows to show without starting a client or the embedded emulator.
import { readFile } from "node:fs/promises";
import type { CacheNamespace } from "../cache/namespace.ts";
import { resolveSettings, sharedConfigPath, type BackendSettings } from "../glacier/settings.ts";
import type { GlobalOptions } from "./deps.ts";

export async function loadBackendSettings(
  global: GlobalOptions,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<BackendSettings> {
  const configPath = sharedConfigPath(env);
  const sharedConfig = configPath ? await readFile(configPath, "utf8").catch(() => undefined) : undefined;
  return resolveSettings({ global, env, cwd, ...(sharedConfig !== undefined ? { sharedConfig } : {}) });
}

/** Vaults are told apart by region and service endpoint (see src/cache/README.md). */
export function cacheNamespace(settings: BackendSettings): CacheNamespace {
  const { region, endpoint } = settings;
  if (endpoint.kind === "aws") return { region };
  return { region, endpoint: endpoint.kind === "url" ? endpoint.url : `local:${endpoint.dir}` };
}
