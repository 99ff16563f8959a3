// The special remotes of a git-annex repository as its `remote.log` (in the git-annex branch) holds
// them, and what `glacier annex-migrate` can do with a pair of them
// (docs/migrate.md#git-annex-repositories). Pure: the log's text comes in.
import { chunkSetting } from "./annex-layout.ts";
import { ConsoleError } from "./errors.ts";

export interface SpecialRemote {
  /** The uuid git-annex records locations under: a `sameas=` remote shares its original's. */
  uuid: string;
  name: string;
  config: Readonly<Record<string, string>>;
}

/**
 * `UUID key=value ... timestamp=Ts` per line; the newest line of a uuid wins (git-annex's
 * UUID-based log, https://git-annex.branchable.com/internals/#remote.log). A `sameas` remote is
 * logged under its own config uuid with `sameas-uuid=` and `sameas-name=`.
 */
export function parseRemoteLog(text: string): SpecialRemote[] {
  const newest = new Map<string, { time: number; config: Record<string, string> }>();
  for (const line of text.split("\n")) {
    const [id, ...fields] = line.trim().split(" ");
    if (!id || fields.length === 0) continue;
    const config: Record<string, string> = {};
    for (const field of fields) {
      const eq = field.indexOf("=");
      if (eq > 0) config[field.slice(0, eq)] = field.slice(eq + 1);
    }
    const time = Number.parseFloat(config.timestamp ?? "0");
    const seen = newest.get(id);
    if (!seen || time >= seen.time) newest.set(id, { time, config });
  }
  const remotes: SpecialRemote[] = [];
  for (const [id, { config }] of newest) {
    const name = config["sameas-name"] ?? config.name;
    if (name !== undefined) remotes.push({ uuid: config["sameas-uuid"] ?? id, name, config });
  }
  return remotes;
}

/** What annex-migrate does for a pair of remotes. */
export interface MigrationSetup {
  /** Records nothing: the S3 remote is `sameas` the vault remote, so git-annex counts its keys already. */
  sameUuid: boolean;
  /** The S3 remote's address and the name prefix before each key there. */
  address: string;
  filePrefix: string;
  /** Bytes per chunk of both remotes, undefined when neither chunks. */
  chunkSize: number | undefined;
}

const isOurs = (remote: SpecialRemote) => remote.config.type === "external" && remote.config.externaltype === "glacier";
const encrypted = (remote: SpecialRemote) => (remote.config.encryption ?? "none") !== "none";

function find(remotes: readonly SpecialRemote[], name: string): SpecialRemote {
  const found = remotes.find((remote) => remote.name === name);
  if (!found) throw new ConsoleError(`${name}: no special remote of that name in this repository's git-annex branch`);
  return found;
}

/** Checks that `from` is a vault remote and `to` our remote on S3 that can read its objects. */
export function migrationSetup(remotes: readonly SpecialRemote[], fromName: string, toName: string): MigrationSetup {
  const from = find(remotes, fromName);
  const to = find(remotes, toName);
  if (from.config.type !== "glacier" && !(isOurs(from) && !from.config.bucket))
    throw new ConsoleError(
      `--from ${fromName}: not a vault remote (type=glacier, or externaltype=glacier with vault=)`,
    );
  if (!isOurs(to) || !to.config.bucket)
    throw new ConsoleError(`--to ${toName}: not an S3 remote (type=external externaltype=glacier bucket=...)`);
  const sameUuid = from.uuid === to.uuid;
  // The objects are the vault's bytes: ciphertext under HMAC names when the vault remote encrypts.
  // Only a remote made with --sameas shares its cipher (git-annex-initremote(1), --sameas).
  if (encrypted(from) && !sameUuid)
    throw new ConsoleError(
      `--from ${fromName} uses encryption=${from.config.encryption}: its objects are ciphertext only a remote ` +
        `sharing its cipher reads; make ${toName} with git annex initremote ${toName} --sameas=${fromName} ...`,
    );
  if (!encrypted(from) && encrypted(to) && !sameUuid)
    throw new ConsoleError(
      `--to ${toName} uses encryption=${to.config.encryption} but ${fromName} stores plain content`,
    );
  const chunk = chunkSetting(from.config.chunk);
  if (Number.isNaN(chunk)) throw new ConsoleError(`--from ${fromName}: cannot read chunk=${from.config.chunk ?? ""}`);
  if (from.config.chunk !== undefined && from.config.chunk !== "" && from.config.type === "glacier")
    throw new ConsoleError(`--from ${fromName}: the built-in glacier remote does not chunk`);
  if (chunkSetting(to.config.chunk) !== chunk)
    throw new ConsoleError(
      `--to ${toName} has chunk=${to.config.chunk ?? "(none)"} ` +
        `but ${fromName} has chunk=${from.config.chunk ?? "(none)"}: ` +
        "git-annex would ask for other chunk keys than those stored",
    );
  const prefix = (to.config.prefix ?? "").replace(/^\/+/, "");
  return {
    sameUuid,
    address: `s3://${to.config.bucket}${prefix === "" ? "" : `/${prefix}`}`,
    filePrefix: to.config.fileprefix ?? "",
    chunkSize: chunk,
  };
}
