// `glacier vault snapshots [--prefix P] [--keep-versions DAYS] [--json] VAULT`: the manifests of the
// vault in the cache (docs/retention.md), oldest first, one line each on stdout:
//   TIME<TAB>MANIFEST<TAB>N files<TAB>BYTES<TAB>complete|incomplete (N files deleted)<TAB>restorable ...
// Read from the cache alone: no job, no request.
import { normalizePrefix } from "../core/archive-prefix.ts";
import { formatBytes, plural } from "../core/human-units.ts";
import { listSnapshots, type SnapshotInfo } from "../core/snapshots.ts";
import { assertVaultName } from "../core/vault-name.ts";
import type { Deps } from "./deps.ts";
import { keepVersionsFlag } from "./shared/old-versions.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface SnapshotsOptions {
  vault: string;
  prefix: string;
  json: boolean;
  keepVersions?: number;
}

export function parse(raw: Invocation<typeof specs.vaultSnapshots>): SnapshotsOptions {
  const vault = raw.args[0];
  assertVaultName(vault);
  const keep = keepVersionsFlag(raw.flags.keepVersions);
  return {
    vault,
    prefix: normalizePrefix(raw.flags.prefix),
    json: raw.flags.json,
    ...(keep === undefined ? {} : { keepVersions: keep }),
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function restorable(s: SnapshotInfo): string {
  if (s.missing.length > 0) return "not restorable in full";
  if (s.restorableUntil === "current") return "restorable while its files are unchanged";
  return s.restorableUntil === null
    ? "restorable until unknown (some upload times unknown)"
    : `restorable until ${iso(s.restorableUntil)}`;
}

export async function run(options: SnapshotsOptions, deps: Deps): Promise<void> {
  const cache = await deps.cache();
  const cached = await cache.list(options.vault, { includeDeleted: true });
  const snapshots = listSnapshots(
    cached,
    options.prefix,
    options.keepVersions === undefined ? {} : { keepVersionsDays: options.keepVersions },
  );
  for (const s of snapshots) {
    if (options.json) {
      const until = typeof s.restorableUntil === "number" ? iso(s.restorableUntil) : s.restorableUntil;
      await deps.output.data(
        JSON.stringify({
          time: iso(s.at),
          manifest: s.manifest.name,
          prefix: s.prefix,
          files: s.files,
          bytes: s.bytes,
          complete: s.missing.length === 0,
          missing: s.missing.map((m) => m.name),
          restorableUntil: s.missing.length > 0 ? null : until,
        }) + `\n`,
      );
      continue;
    }
    const state = s.missing.length === 0 ? "complete" : `incomplete (${plural(s.missing.length, "file")} deleted)`;
    await deps.output.data(
      `${iso(s.at)}\t${s.manifest.name}\t${plural(s.files, "file")}\t${formatBytes(s.bytes)}\t${state}\t` +
        `${restorable(s)}\n`,
    );
  }
  if (snapshots.length === 0)
    deps.output.info(
      `no manifest of vault '${options.vault}' in the cache (vault reconcile --commit --manifest writes one)`,
    );
}
