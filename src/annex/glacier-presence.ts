// What CHECKPRESENT needs besides the key's record: whether an upload of it is still running in
// another process, and, with checkpresent=paranoid, Glacier's own word that the vault answers
// before a key with no record is called absent (docs/annex-protocol.md: "answer FAILURE only if we
// positively know the key is absent").
import { describeOwner, ownerState, type UploadIntent } from "../cache/index.ts";
import { ServiceError } from "../core/errors.ts";
import type { GlacierPort } from "../glacier/port.ts";
import type { Presence } from "./remote.ts";

/**
 * The open upload of `name` whose process may still be running. An intent whose owner is gone (a
 * kill) or unknown (recorded before owners were) is not running: the next STORE resumes it.
 */
export function runningUpload(intents: readonly UploadIntent[], name: string): { startedAt: number; owner: string; otherHost: boolean } | undefined {
  for (const intent of intents) {
    if (intent.name !== name || intent.owner === null) continue;
    const state = ownerState(intent.owner);
    if (state === "gone") continue;
    return { startedAt: intent.startedAt, owner: describeOwner(intent.owner), otherHost: state === "other-host" };
  }
  return undefined;
}

/** Absent when Glacier answers for the vault (or says it is gone); a failure to ask is UNKNOWN. */
export async function confirmAbsent(port: GlacierPort, vault: string): Promise<Presence> {
  try {
    await port.describeVault(vault);
    return { kind: "absent" };
  } catch (error) {
    if (error instanceof ServiceError && error.code === "ResourceNotFoundException") return { kind: "absent" };
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: "unknown", reason: `no record of this key, but checkpresent=paranoid could not confirm it with Glacier: ${reason}` };
  }
}
