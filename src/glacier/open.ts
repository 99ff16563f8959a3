// Builds the GlacierPort from resolved settings: `local:DIR` starts the emulator in-process; the SDK
// adapter is wrapped in the one retry layer. Called only by the composition root
// (src/runtime/services.ts, docs/architecture.md#the-composition-root), which resolves the settings and
// loads this module lazily, so `glacier --help` never loads the AWS SDK.
import type { Clock } from "../core/clock.ts";
import type { LocalEmulator } from "./local.ts";
import type { GlacierPort } from "./port.ts";
import { retryingPort, type RetryingPortOptions } from "./retry.ts";
import { createSdkPort } from "./sdk.ts";
import { LOCAL_CREDENTIALS, stallTimeoutMs, type BackendSettings } from "./settings.ts";

export interface OpenGlacierInput {
  settings: BackendSettings;
  /** --stall-timeout, seconds; GLACIER_STALL_TIMEOUT in `env` when absent. */
  stallTimeout?: number;
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  /** Sockets per host: at least the transfer concurrency. */
  maxSockets?: number;
  onRetry?: RetryingPortOptions["onRetry"];
  /** Starts (once per run, shared with the other plugins) the in-process emulator over DIR. */
  startLocal?: (dir: string, region: string) => Promise<LocalEmulator>;
}

export async function openGlacier(input: OpenGlacierInput): Promise<GlacierPort> {
  const stallMs = stallTimeoutMs(input.stallTimeout, input.env);
  const settings = input.settings;
  let endpointUrl: string | undefined;
  let endpointLabel: string | undefined;
  let stopLocal: (() => Promise<void>) | undefined;
  let credentials = settings.credentials;
  if (settings.endpoint.kind === "url") {
    endpointUrl = settings.endpoint.url;
  } else if (settings.endpoint.kind === "local") {
    if (input.startLocal) {
      endpointUrl = (await input.startLocal(settings.endpoint.dir, settings.region)).url;
    } else {
      const { startLocalEmulator } = await import("./local.ts");
      const local = await startLocalEmulator(settings.endpoint.dir, settings.region);
      endpointUrl = local.url;
      stopLocal = () => local.close();
    }
    endpointLabel = `local:${settings.endpoint.dir}`;
    if (!credentials && settings.profile === undefined) credentials = LOCAL_CREDENTIALS;
  }
  const sdk = createSdkPort({
    region: settings.region,
    ...(endpointUrl ? { endpointUrl } : {}),
    ...(endpointLabel ? { endpointLabel } : {}),
    ...(credentials ? { credentials } : {}),
    ...(settings.profile !== undefined && !credentials ? { profile: settings.profile } : {}),
    ...(input.maxSockets ? { maxSockets: input.maxSockets } : {}),
    stallTimeoutMs: stallMs,
  });
  const port = retryingPort(sdk, { clock: input.clock, ...(input.onRetry ? { onRetry: input.onRetry } : {}) });
  return {
    ...port,
    ...(settings.endpoint.kind === "local" ? { immediateJobs: true } : {}),
    close: async () => {
      await port.close();
      await stopLocal?.();
    },
  };
}
