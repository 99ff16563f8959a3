// Builds the GlacierPort a command uses: settings resolved from flags, environment and the shared
// config file; `local:DIR` starts the emulator in-process; the SDK adapter wrapped in the one retry
// layer. Loaded lazily by deps.glacier(), so `glacier --help` never loads the AWS SDK.
import type { Clock } from "../core/clock.ts";
import type { GlacierPort } from "./port.ts";
import { retryingPort, type RetryingPortOptions } from "./retry.ts";
import { createSdkPort } from "./sdk.ts";
import { resolveSettings, stallTimeoutMs, type BackendSettings, type StaticCredentials } from "./settings.ts";
import { readSharedConfig } from "./shared-config.ts";

export interface OpenGlacierInput {
  global: { region?: string; endpointUrl?: string; profile?: string; stallTimeout?: number };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  clock: Clock;
  /** Settings already resolved by the composition root; resolved here from the rest when absent. */
  settings?: BackendSettings;
  /** Sockets per host: at least the transfer concurrency. */
  maxSockets?: number;
  onRetry?: RetryingPortOptions["onRetry"];
}

/**
 * The emulator's default auth accepts any key, so `local:DIR` works with no AWS account: these
 * are used when nothing else is configured. They are not secrets.
 */
export const LOCAL_CREDENTIALS: StaticCredentials = {
  accessKeyId: "AKIDLOCALEMULATOR",
  secretAccessKey: "local-emulator-secret",
};

export async function openGlacier(input: OpenGlacierInput): Promise<GlacierPort> {
  const stallMs = stallTimeoutMs(input.global.stallTimeout, input.env);
  const settings = input.settings ?? (await resolveFromEnvironment(input));
  let endpointUrl: string | undefined;
  let endpointLabel: string | undefined;
  let stopLocal: (() => Promise<void>) | undefined;
  let credentials = settings.credentials;
  if (settings.endpoint.kind === "url") {
    endpointUrl = settings.endpoint.url;
  } else if (settings.endpoint.kind === "local") {
    const { startLocalEmulator } = await import("./local.ts");
    const local = await startLocalEmulator(settings.endpoint.dir, settings.region);
    endpointUrl = local.url;
    endpointLabel = `local:${settings.endpoint.dir}`;
    stopLocal = local.close;
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
    ...(stopLocal ? { immediateJobs: true } : {}),
    close: async () => {
      await port.close();
      await stopLocal?.();
    },
  };
}

async function resolveFromEnvironment(input: OpenGlacierInput): Promise<BackendSettings> {
  const sharedConfig = await readSharedConfig(input.env);
  return resolveSettings({
    global: input.global,
    env: input.env,
    cwd: input.cwd,
    ...(sharedConfig !== undefined ? { sharedConfig } : {}),
  });
}
