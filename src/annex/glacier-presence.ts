// With checkpresent=paranoid, Glacier's own word that the vault answers before a key with no
// record is called absent (docs/annex-protocol.md: "answer FAILURE only if we
// positively know the key is absent").
import { ServiceError } from "../core/errors.ts";
import type { GlacierPort } from "../glacier/port.ts";
import type { Presence } from "./remote.ts";

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
