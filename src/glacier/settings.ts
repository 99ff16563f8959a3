// Where requests go and how they are signed (docs/architecture.md#the-composition-root):
// region: --region, then AWS_REGION / AWS_DEFAULT_REGION, then the profile's region, then us-east-1
// (glacier-cli's default); endpoint: --endpoint-url, AWS_ENDPOINT_URL_GLACIER, AWS_ENDPOINT_URL, or
// local:DIR (the emulator in-process). git-annex passes only --region, so the environment must be
// enough. Pure: the shared config file's text is handed in.
import { isAbsolute, join } from "node:path";
import { ConsoleError, defined } from "../core/errors.ts";

export type Endpoint =
  | { kind: "aws" }
  | { kind: "url"; url: string }
  /** local:DIR: start the emulator in-process over DIR. */
  | { kind: "local"; dir: string };

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * The emulator's default auth accepts any key, so `local:DIR` works with no AWS account: these
 * are used when nothing else is configured. They are not secrets. Kept here, away from the SDK
 * adapters, so that the S3 plugin does not load the Glacier SDK to read them.
 */
export const LOCAL_CREDENTIALS: StaticCredentials = {
  accessKeyId: "AKIDLOCALEMULATOR",
  secretAccessKey: "local-emulator-secret",
};

export interface BackendSettings {
  region: string;
  endpoint: Endpoint;
  /** Where S3 requests go (s3:// addresses): --endpoint-url, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL. */
  s3Endpoint?: Endpoint;
  /** Shared-config profile for the SDK's credential chain. */
  profile?: string;
  /** Keys from the environment handed to us (used instead of the SDK chain when present). */
  credentials?: StaticCredentials;
}

export interface SettingsInput {
  global: { region?: string; endpointUrl?: string; profile?: string };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Text of the AWS shared config file, if there is one. */
  sharedConfig?: string;
}

export const DEFAULT_REGION = "us-east-1";
/** Seconds without a byte in either direction after which a request is abandoned (and retried). */
export const DEFAULT_STALL_SECONDS = 60;
export const LOCAL_PREFIX = "local:";

export function resolveSettings(input: SettingsInput): BackendSettings {
  const { global, env } = input;
  const profile = nonEmpty(global.profile) ?? nonEmpty(env.AWS_PROFILE);
  const region =
    nonEmpty(global.region) ??
    nonEmpty(env.AWS_REGION) ??
    nonEmpty(env.AWS_DEFAULT_REGION) ??
    (input.sharedConfig !== undefined
      ? profileSetting(input.sharedConfig, profile ?? "default", "region")
      : undefined) ??
    DEFAULT_REGION;
  const settings: BackendSettings = {
    region,
    endpoint: resolveEndpoint(input, "AWS_ENDPOINT_URL_GLACIER"),
    s3Endpoint: resolveEndpoint(input, "AWS_ENDPOINT_URL_S3"),
  };
  if (profile !== undefined) settings.profile = profile;
  // An explicit --profile wins over keys in the environment, as in the AWS CLI.
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  if (global.profile === undefined && accessKeyId && secretAccessKey) {
    const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
    settings.credentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  }
  return settings;
}

// The service-specific variable follows the AWS SDKs' rule
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
function resolveEndpoint({ global, env, cwd }: SettingsInput, serviceVariable: string): Endpoint {
  const sources: [string, string | undefined][] = [
    ["--endpoint-url", global.endpointUrl],
    [serviceVariable, env[serviceVariable]],
    ["AWS_ENDPOINT_URL", env.AWS_ENDPOINT_URL],
  ];
  const found = sources.find(([, value]) => nonEmpty(value) !== undefined);
  if (!found) return { kind: "aws" };
  const [source, value] = found as [string, string];
  if (value.startsWith(LOCAL_PREFIX)) {
    const dir = value.slice(LOCAL_PREFIX.length);
    if (dir === "") throw new ConsoleError(`${source}: local: needs a folder, as in local:/path/to/dir`);
    return { kind: "local", dir: isAbsolute(dir) ? dir : join(cwd, dir) };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConsoleError(
      `${source}: invalid endpoint ${JSON.stringify(value)}: expected http(s)://HOST[:PORT] or local:DIR`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConsoleError(
      `${source}: invalid endpoint ${JSON.stringify(value)}: expected http(s)://HOST[:PORT] or local:DIR`,
    );
  }
  return { kind: "url", url: value.replace(/\/+$/, "") };
}

/** "30", "0.5": seconds greater than 0; undefined for anything else. */
export function parseStallSeconds(text: string): number | undefined {
  const value = Number(text);
  return text.trim() !== "" && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * The stall timeout in ms: --stall-timeout, then GLACIER_STALL_TIMEOUT (git-annex passes no
 * options to the remote, so the environment must be enough), then DEFAULT_STALL_SECONDS.
 */
export function stallTimeoutMs(flag: number | undefined, env: Readonly<Record<string, string | undefined>>): number {
  if (flag !== undefined) return Math.ceil(flag * 1000);
  const text = nonEmpty(env.GLACIER_STALL_TIMEOUT);
  if (text === undefined) return DEFAULT_STALL_SECONDS * 1000;
  const seconds = parseStallSeconds(text);
  if (seconds === undefined)
    throw new ConsoleError(
      `GLACIER_STALL_TIMEOUT: expected a number of seconds greater than 0, got ${JSON.stringify(text)}`,
    );
  return Math.ceil(seconds * 1000);
}

/** Where the shared config file is: AWS_CONFIG_FILE, else ~/.aws/config. */
export function sharedConfigPath(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const explicit = nonEmpty(env.AWS_CONFIG_FILE);
  if (explicit) return explicit;
  const home = nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE);
  return home ? join(home, ".aws", "config") : undefined;
}

/**
 * One setting of a profile in the shared config file (INI): `[default]` or `[profile NAME]`
 * (the credentials file's bare `[NAME]` is accepted too).
 */
export function profileSetting(text: string, profile: string, key: string): string | undefined {
  let inProfile = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, "").trim();
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      const name = defined(section[1], "section[1]").replace(/^profile\s+/, "");
      inProfile = name === profile;
      continue;
    }
    if (!inProfile) continue;
    const pair = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (pair && pair[1] === key && pair[2] !== "") return pair[2];
  }
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
