// With checkpresent=paranoid, Glacier's own word that the vault answers before a key with no
// record is called absent (docs/annex-protocol.md: "answer FAILURE only if we
// positively know the key is absent").
import { ServiceError } from "../core/errors.ts";
import type { GlacierPort } from "../glacier/port.ts";
import { descriptionForName } from "../core/names.ts";
import type { Backend } from "./glacier-backend.ts";
import type { KeyRecord } from "./glacier-records.ts";
import type { Presence } from "./remote.ts";

type AuthoritativePort = GlacierPort & Required<Pick<GlacierPort, "findArchive">>;

/**
 * The port, when its backend answers for one archive with no lag (the `presenceIsAuthoritative`
 * capability, docs/backends.md#capabilities: S3's HeadObject); else undefined, and the remote's
 * records and checkpresent policy decide.
 */
export async function authoritativePort(backend: Backend, vault: string): Promise<AuthoritativePort | undefined> {
  const port = await backend.port();
  if (!port.capabilities?.(vault).presenceIsAuthoritative || !port.findArchive) return undefined;
  return port as AuthoritativePort;
}

/** Absent when Glacier answers for the vault (or says it is gone); a failure to ask is UNKNOWN. */
export async function confirmAbsent(port: GlacierPort, vault: string): Promise<Presence> {
  try {
    await port.describeVault(vault);
    return { kind: "absent" };
  } catch (error) {
    if (error instanceof ServiceError && error.code === "ResourceNotFoundException") return { kind: "absent" };
    const reason = error instanceof Error ? error.message : String(error);
    return {
      kind: "unknown",
      reason: `no record of this key, but checkpresent=paranoid could not confirm it with Glacier: ${reason}`,
    };
  }
}

/** The archive stored under `name`, as an authoritative backend says (undefined without one). */
export async function askBackend(
  port: AuthoritativePort | undefined,
  vault: string,
  name: string,
): Promise<KeyRecord | undefined> {
  const archive = await port?.findArchive(vault, descriptionForName(name));
  if (!archive) return undefined;
  return {
    archiveId: archive.archiveId,
    treeHash: archive.treeHash,
    size: archive.size,
    lastSeenUpstream: null,
    createdHere: null,
    from: "state",
  };
}
