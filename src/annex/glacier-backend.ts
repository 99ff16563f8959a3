// What the remote needs of the world: its backend services (settings, the port, the archive cache),
// opened on first use: PREPARE must stay cheap ("do no network I/O in it"), and GETCOST or WHEREIS
// never need the AWS SDK. The composition root (src/runtime/remote-backend.ts) builds them from the
// same code as the CLI's, so `glacier archive list VAULT` shows what the remote stored.
import type { ArchiveCache } from "../cache/archive-cache.ts";
import type { Clock } from "../core/clock.ts";
import type { GlacierPort } from "../glacier/port.ts";
import type { BackendSettings } from "../glacier/settings.ts";
import type { RemoteSettings } from "./glacier-config.ts";

export interface RemoteWorld {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  clock: Clock;
  /** A line for the user on stderr (git-annex relays it). */
  warn(message: string): void;
  /**
   * The backend of these remote settings. `creds` are the ones git-annex keeps for this remote
   * (GETCREDS), used when the environment has none.
   */
  openBackend(remote: RemoteSettings, creds: StoredCreds | undefined): Backend;
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
