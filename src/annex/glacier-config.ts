// The Glacier remote's settings: what `git annex initremote NAME type=external
// externaltype=glacier ...` accepts, how INITREMOTE resolves and persists them (SETCONFIG during
// INITREMOTE is "Persisted to remote.log"), and how PREPARE reads them back without any network I/O.
import { resolve } from "node:path";
import { ConsoleError, GlacierCliError } from "../core/errors.ts";
import { DEFAULT_CHECKPRESENT_MAX_AGE_HOURS } from "../core/checkpresent.ts";
import { checkPartSize, parseByteSize } from "../core/multipart.ts";
import type { Tier } from "../core/types.ts";
import { assertVaultName } from "../core/vault-name.ts";
import { bucketAddress, S3_CONFIG_SETTINGS, s3Config, s3Settings, type S3Settings } from "./glacier-config-s3.ts";
import type { ConfigSetting, RemoteContext } from "./remote.ts";

/**
 * How CHECKPRESENT trusts our records (docs/annex-protocol.md#presence: "Make this policy configurable
 * (paranoid, like the built-in, vs trusting our record). testremote needs the trusting mode."):
 * - trust: an upload recorded by any clone (cache or git-annex state) is present;
 * - maxage: present only if recorded or seen in an inventory within `maxage` hours, as
 *   `glacier archive checkpresent` decides; older records are UNKNOWN;
 * - paranoid: a record is never proof (UNKNOWN, as the built-in remote); only absence is certain.
 */
export type CheckpresentPolicy = "trust" | "maxage" | "paranoid";

export interface RemoteSettings extends S3Settings {
  /** The port's address: a vault name, or `s3://BUCKET[/PREFIX]` (docs/backends.md#addresses). */
  vault: string;
  /** Empty when the remote uses the machine's AWS_REGION or us-east-1. */
  region: string;
  /** A URL or local:DIR; empty for AWS (or AWS_ENDPOINT_URL_GLACIER from the environment). */
  endpoint: string;
  tier: Tier;
  partSize: number | undefined;
  policy: CheckpresentPolicy;
  maxAgeHours: number;
  /** Prepended to the key to make the archive name, like the built-in remote's `fileprefix`. */
  filePrefix: string;
}

/** "Do not list common settings: encryption, keyid, ..., embedcreds, chunk, ...". */
export const CONFIG_SETTINGS: readonly ConfigSetting[] = [
  { name: "vault", description: "Glacier vault name (default: REMOTENAME-UUID, as the built-in glacier remote)" },
  { name: "datacenter", description: "AWS region of the vault, e.g. us-east-1 (the built-in glacier remote's name)" },
  { name: "region", description: "same as datacenter" },
  { name: "endpoint", description: "service URL or local:DIR (default: AWS, or AWS_ENDPOINT_URL_GLACIER)" },
  { name: "tier", description: "retrieval tier for new jobs: Expedited, Standard (default) or Bulk" },
  { name: "partsize", description: "multipart upload part size: 1MiB times a power of two (default: automatic)" },
  {
    name: "checkpresent",
    description: "trust (default), maxage or paranoid: how far CHECKPRESENT trusts upload records",
  },
  {
    name: "maxage",
    description:
      `hours an upload record counts as present with checkpresent=maxage (default ` +
      `${DEFAULT_CHECKPRESENT_MAX_AGE_HOURS})`,
  },
  { name: "fileprefix", description: "prefix of archive names (as the built-in glacier remote)" },
  ...S3_CONFIG_SETTINGS,
];

const TIERS: readonly Tier[] = ["Expedited", "Standard", "Bulk"];
const POLICIES: readonly CheckpresentPolicy[] = ["trust", "maxage", "paranoid"];

/** PREPARE: the persisted settings, validated; a remote never initialised has no vault. */
export async function readSettings(context: RemoteContext): Promise<RemoteSettings> {
  const get = (name: string) => context.getConfig(name);
  const vault = await get("vault");
  // A vault remote never has S3 settings (INITREMOTE refuses both): it does not ask for them.
  const s3 = vault === "" ? await s3Config(get) : {};
  if (vault === "" && !s3.bucket)
    throw new ConsoleError(
      "this remote has no vault or bucket setting: run git annex enableremote with vault=NAME or bucket=NAME",
    );
  return parseSettings({
    vault,
    ...s3,
    region: (await get("datacenter")) || (await get("region")),
    endpoint: await get("endpoint"),
    tier: await get("tier"),
    partsize: await get("partsize"),
    checkpresent: await get("checkpresent"),
    maxage: await get("maxage"),
    fileprefix: await get("fileprefix"),
  });
}

export function parseSettings(raw: Record<string, string>): RemoteSettings {
  const vault = bucketAddress(raw) ?? raw.vault ?? "";
  wrap(raw.bucket ? "bucket" : "vault", () => {
    assertVaultName(vault);
  });
  const tierText = raw.tier || "Standard";
  const tier = TIERS.find((t) => t.toLowerCase() === tierText.toLowerCase());
  if (!tier) throw new ConsoleError(`tier=${tierText}: expected Expedited, Standard or Bulk`);
  const s3 = s3Settings(raw, tier);
  let partSize: number | undefined;
  if (raw.partsize) {
    const bytes = parseByteSize(raw.partsize);
    if (bytes === undefined) throw new ConsoleError(`partsize=${raw.partsize}: expected a size such as 64MiB`);
    partSize = wrap("partsize", () => checkPartSize(bytes, "partsize"));
  }
  const policyText = (raw.checkpresent || "trust").toLowerCase();
  const policy = POLICIES.find((p) => p === policyText);
  if (!policy) throw new ConsoleError(`checkpresent=${raw.checkpresent}: expected trust, maxage or paranoid`);
  const maxAgeHours = raw.maxage ? Number(raw.maxage) : DEFAULT_CHECKPRESENT_MAX_AGE_HOURS;
  if (!Number.isFinite(maxAgeHours) || maxAgeHours < 0)
    throw new ConsoleError(`maxage=${raw.maxage}: expected a number of hours`);
  const endpoint = raw.endpoint ?? "";
  if (endpoint !== "" && !/^(https?:\/\/|local:.)/.test(endpoint)) {
    throw new ConsoleError(`endpoint=${endpoint}: expected http(s)://HOST[:PORT] or local:DIR`);
  }
  return {
    vault,
    region: raw.region ?? "",
    endpoint,
    tier,
    partSize,
    policy,
    maxAgeHours,
    filePrefix: raw.fileprefix ?? "",
    ...s3,
  };
}

/**
 * INITREMOTE: "Run by both initremote and enableremote, and repeated per clone, so it must be
 * idempotent." Every setting is written back, so a later enableremote or another clone reads the
 * same values; the vault defaults to `<remotename>-<uuid>` like the built-in glacier remote. A remote
 * given no region records the one the backend resolves (`resolveRegion`: the environment, the
 * profile, then us-east-1, as the CLI does; docs/architecture.md#the-composition-root).
 */
export async function resolveInitSettings(
  context: RemoteContext,
  cwd: string,
  resolveRegion: (settings: RemoteSettings) => Promise<string>,
): Promise<RemoteSettings> {
  const get = (name: string) => context.getConfig(name);
  const datacenter = await get("datacenter");
  const region = await get("region");
  if (datacenter !== "" && region !== "" && datacenter !== region) {
    throw new ConsoleError(`datacenter=${datacenter} and region=${region} disagree: give one of them`);
  }
  let vault = await get("vault");
  const s3 = await s3Config(get);
  if (vault === "" && !s3.bucket) vault = `${(await get("name")) || "glacier"}-${await context.getUuid()}`;
  const given = parseSettings({
    vault,
    ...s3,
    region: datacenter || region,
    endpoint: absoluteLocal(await get("endpoint"), cwd),
    tier: await get("tier"),
    partsize: await get("partsize"),
    checkpresent: await get("checkpresent"),
    maxage: await get("maxage"),
    fileprefix: await get("fileprefix"),
  });
  const settings = given.region !== "" ? given : { ...given, region: await resolveRegion(given) };
  if (settings.bucket === undefined) await context.setConfig("vault", settings.vault);
  else {
    // The address is derived from these on every PREPARE; `vault` stays unset (the two exclude each other).
    await context.setConfig("bucket", settings.bucket);
    await context.setConfig("prefix", settings.prefix ?? "");
    await context.setConfig("storageclass", settings.storageClass ?? "");
    await context.setConfig("restoredays", String(settings.restoreDays));
  }
  if (settings.endpoint !== "") await context.setConfig("endpoint", settings.endpoint);
  await context.setConfig("datacenter", settings.region);
  await context.setConfig("tier", settings.tier);
  await context.setConfig("checkpresent", settings.policy);
  return settings;
}

/** "The remote inherits git-annex's cwd, which is the user's cwd": local:DIR is kept absolute. */
function absoluteLocal(endpoint: string, cwd: string): string {
  if (!endpoint.startsWith("local:") || endpoint.length === "local:".length) return endpoint;
  return `local:${resolve(cwd, endpoint.slice("local:".length))}`;
}

/** The remote's place in messages: "Glacier vault NAME", or the bucket's s3:// address. */
export function place(settings: Pick<RemoteSettings, "vault" | "bucket">): string {
  return settings.bucket === undefined ? `Glacier vault ${settings.vault}` : settings.vault;
}

function wrap<T>(setting: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof GlacierCliError) throw new ConsoleError(`${setting}: ${error.message}`, { cause: error });
    throw error;
  }
}
