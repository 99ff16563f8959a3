// Opens the S3 plugin for a run: the endpoint from settings (--endpoint-url, AWS_ENDPOINT_URL_S3,
// AWS_ENDPOINT_URL, or local:DIR served by the same in-process emulator as the vaults), the
// credentials of the SDK's chain, the storage class and restore days of this run, and the one retry
// layer around it (docs/backends.md#settings).
import { retryingPort } from "../../glacier/retry.ts";
import { LOCAL_CREDENTIALS, stallTimeoutMs } from "../../glacier/settings.ts";
import type { PluginOpenInput } from "../plugin.ts";
import type { GlacierPort } from "../port.ts";
import { createS3Port } from "./port.ts";
import { restoreDays, storageClass } from "./options.ts";
import { createS3Api } from "./sdk.ts";

export async function openS3(input: PluginOpenInput): Promise<GlacierPort> {
  const { settings } = input;
  const endpoint = settings.s3Endpoint ?? settings.endpoint;
  let endpointUrl: string | undefined;
  let credentials = settings.credentials;
  if (endpoint.kind === "url") endpointUrl = endpoint.url;
  if (endpoint.kind === "local") {
    endpointUrl = (await input.startLocal(endpoint.dir, settings.region)).url;
    if (!credentials && settings.profile === undefined) credentials = LOCAL_CREDENTIALS;
  }
  const label =
    endpoint.kind === "url"
      ? endpoint.url
      : endpoint.kind === "local"
        ? `local:${endpoint.dir}`
        : `s3.${settings.region}.amazonaws.com`;
  const api = createS3Api({
    region: settings.region,
    endpointLabel: label,
    stallTimeoutMs: stallTimeoutMs(input.stallTimeout, input.env),
    ...(endpointUrl ? { endpointUrl } : {}),
    ...(credentials ? { credentials } : {}),
    ...(settings.profile !== undefined && !credentials ? { profile: settings.profile } : {}),
    ...(input.maxSockets ? { maxSockets: input.maxSockets } : {}),
  });
  const port = createS3Port({
    api,
    region: settings.region,
    clock: input.clock,
    storageClass: storageClass(input),
    restoreDays: restoreDays(input),
  });
  return retryingPort(port, { clock: input.clock });
}
