// Where the cache lives: `--cache-dir`, then GLACIER_CACHE_DIR, then glacier-cli's own location
// (docs/cache.md#location): "$XDG_CACHE_HOME/glacier-cli/db. If XDG_CACHE_HOME is unset,
// $HOME/.cache/glacier-cli/db is used." Returns the folder; the database file inside is `db`.
import { join, resolve as resolvePath } from "node:path";
import { CacheError } from "../core/errors.ts";

export const CACHE_DIR_ENV = "GLACIER_CACHE_DIR";

export function cacheDirFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  flag?: string,
  cwd?: string,
): string {
  const resolve = (path: string) => (cwd === undefined ? resolvePath(path) : resolvePath(cwd, path));
  if (flag !== undefined && flag !== "") return resolve(flag);
  const explicit = env[CACHE_DIR_ENV];
  if (explicit !== undefined && explicit !== "") return resolve(explicit);
  // glacier-cli: "Only unset counts. An empty XDG_CACHE_HOME turns into a relative path." We treat
  // an empty value as unset, as the XDG base directory specification asks.
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== "") return join(resolve(xdg), "glacier-cli");
  const home = env.HOME;
  if (home === undefined || home === "") {
    throw new CacheError(
      `cannot locate the archive cache: set HOME, XDG_CACHE_HOME or ${CACHE_DIR_ENV}, or pass --cache-dir`,
    );
  }
  return join(resolve(home), ".cache", "glacier-cli");
}
