// The backend plugins (docs/backends.md#plugins) and the routing port built over them: every call
// that names a VAULT goes to the first plugin whose `matches` accepts that address, opened on first
// use. Adding a backend means one folder and one row in PLUGINS; commands do not change.
import { isS3StorageClass, type S3StorageClass } from "../core/s3-prices.ts";
import { storageClass } from "./s3/options.ts";
import { sameUpload } from "./s3/upload-ids.ts";
import { isS3Address } from "../core/s3-address.ts";
import type { BackendPlugin, PluginOpenInput } from "./plugin.ts";
import type { BackendPort, GlacierPort } from "./port.ts";

const VAULTS: BackendPlugin = {
  name: "glacier-vault",
  matches: () => true,
  capabilities: ({ settings }) => ({
    listingNeedsJob: true,
    retrievalNeedsRestore: "always",
    namesAreKeys: false,
    presenceIsAuthoritative: false,
    treeHashBeforeMultipart: false,
    minPartSize: 1024 * 1024,
    rangesVerifiedByService: true,
    immediateJobs: settings.endpoint.kind === "local",
    listedByListVaults: true,
    pricing: { kind: "vault" },
  }),
  open: async (input) => (await import("../glacier/open.ts")).openGlacier(input),
};

const S3: BackendPlugin = {
  name: "s3",
  matches: isS3Address,
  capabilities: (input) => ({
    listingNeedsJob: false,
    retrievalNeedsRestore: "per-archive",
    namesAreKeys: true,
    presenceIsAuthoritative: true,
    treeHashBeforeMultipart: true,
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html: parts of 5 MiB at least.
    minPartSize: 8 * 1024 * 1024,
    rangesVerifiedByService: false,
    // Listings, and restores of objects that read at once, complete as they start.
    immediateJobs: true,
    listedByListVaults: false,
    // Classes without a price table (STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING) are priced as STANDARD.
    pricing: { kind: "s3", storageClass: pricedClass(storageClass(input)) },
  }),
  open: async (input) => (await import("./s3/open.ts")).openS3(input),
  sameUpload,
};

function pricedClass(storageClass: string): S3StorageClass {
  return isS3StorageClass(storageClass) ? storageClass : "STANDARD";
}

/** First match wins: the vault plugin, which accepts any name, comes last. */
export const PLUGINS: readonly BackendPlugin[] = [S3, VAULTS];

export function pluginFor(address: string, plugins: readonly BackendPlugin[] = PLUGINS): BackendPlugin {
  return plugins.find((p) => p.matches(address)) ?? VAULTS;
}

/** The port of a run: each call is handed to its vault's plugin (opened once, on first use). */
export function routingPort(input: PluginOpenInput, plugins: readonly BackendPlugin[] = PLUGINS): BackendPort {
  const opened = new Map<BackendPlugin, Promise<GlacierPort>>();
  const open = (vault: string): Promise<GlacierPort> => {
    const plugin = pluginFor(vault, plugins);
    let port = opened.get(plugin);
    if (!port) {
      port = plugin.open(input);
      opened.set(plugin, port);
    }
    return port;
  };
  const { settings } = input;
  const endpoint =
    settings.endpoint.kind === "url"
      ? settings.endpoint.url
      : settings.endpoint.kind === "local"
        ? `local:${settings.endpoint.dir}`
        : `glacier.${settings.region}.amazonaws.com`;
  return {
    region: settings.region,
    endpoint,
    // Only the vault plugin can start a job that completes at once for every vault (local:DIR).
    ...(settings.endpoint.kind === "local" ? { immediateJobs: true } : {}),
    capabilities: (vault) => pluginFor(vault, plugins).capabilities(input),
    sameUpload: (vault, a, b) => {
      const plugin = pluginFor(vault, plugins);
      return plugin.sameUpload ? plugin.sameUpload(a, b) : a === b;
    },
    listVaults: async () => (await open("")).listVaults(),
    createVault: async (vault) => (await open(vault)).createVault(vault),
    describeVault: async (vault) => (await open(vault)).describeVault(vault),
    deleteVault: async (vault) => (await open(vault)).deleteVault(vault),
    uploadArchive: async (i) => (await open(i.vault)).uploadArchive(i),
    initiateMultipart: async (i) => (await open(i.vault)).initiateMultipart(i),
    uploadPart: async (i) => (await open(i.vault)).uploadPart(i),
    completeMultipart: async (i) => (await open(i.vault)).completeMultipart(i),
    abortMultipart: async (vault, id) => (await open(vault)).abortMultipart(vault, id),
    listParts: async (vault, id) => (await open(vault)).listParts(vault, id),
    listMultipartUploads: async (vault) => (await open(vault)).listMultipartUploads(vault),
    deleteArchive: async (vault, id) => (await open(vault)).deleteArchive(vault, id),
    initiateJob: async (vault, request) => (await open(vault)).initiateJob(vault, request),
    describeJob: async (vault, id) => (await open(vault)).describeJob(vault, id),
    listJobs: async (vault, options) => (await open(vault)).listJobs(vault, options),
    getJobOutput: async (i) => (await open(i.vault)).getJobOutput(i),
    findArchive: async (vault, description) => {
      const port = await open(vault);
      if (!port.findArchive) throw new Error(`internal: ${pluginFor(vault, plugins).name} cannot look up one archive`);
      return port.findArchive(vault, description);
    },
    keepsReplacedVersions: async (vault) => {
      const port = await open(vault);
      return port.keepsReplacedVersions ? port.keepsReplacedVersions(vault) : true;
    },
    close: async () => {
      const ports = await Promise.allSettled([...opened.values()]);
      await Promise.allSettled(ports.flatMap((p) => (p.status === "fulfilled" ? [p.value.close()] : [])));
    },
  };
}
