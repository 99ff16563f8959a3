// The shape of a backend plugin (docs/backends.md#plugins): the table in plugins.ts lists them.
import type { Clock } from "../core/clock.ts";
import type { LocalEmulator } from "../glacier/local.ts";
import type { BackendSettings } from "../glacier/settings.ts";
import type { BackendCapabilities, GlacierPort } from "./port.ts";

export interface PluginOpenInput {
  settings: BackendSettings;
  /** --stall-timeout, seconds; GLACIER_STALL_TIMEOUT in `env` when absent. */
  stallTimeout?: number;
  /** --storage-class and --restore-days (S3), as typed. */
  storageClass?: string;
  restoreDays?: string;
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  maxSockets?: number;
  /** The in-process emulator over DIR (local:DIR), started once per run for every plugin. */
  startLocal(dir: string, region: string): Promise<LocalEmulator>;
}

export interface BackendPlugin {
  name: string;
  matches(address: string): boolean;
  /** What differs for this plugin's addresses in this run (its settings and options). */
  capabilities(input: PluginOpenInput): BackendCapabilities;
  open(input: PluginOpenInput): Promise<GlacierPort>;
  /**
   * Whether two multipart upload ids name one upload. Absent: when they are equal. The S3 plugin's id
   * from ListMultipartUploads lacks the part size the one from initiateMultipart carries.
   */
  sameUpload?(a: string, b: string): boolean;
}
