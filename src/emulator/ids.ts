// docs/glacier-api.md#identifiers: "IDs are URL-safe base64 ([A-Za-z0-9_-]): archive 138 chars, job and upload
// 92 ... Archive IDs can start with `-` ... the emulator should generate such IDs sometimes."
// IDs come from the OS random source, not the fault seed: several processes share one data DIR and
// their IDs must never collide.
import { randomBytes } from "node:crypto";
import { defined } from "../core/errors.ts";

function randomId(length: number): string {
  return randomBytes(Math.ceil((length * 3) / 4) + 1)
    .toString("base64url")
    .slice(0, length);
}

/** A 138-character archive ID; one in four starts with "-" to catch naive argv parsing. */
export function newArchiveId(): string {
  const id = randomId(138);
  return (defined(randomBytes(1)[0], "randomBytes(1)[0]") & 3) === 0 ? `-${id.slice(1)}` : id;
}

export const newJobId = (): string => randomId(92);
export const newUploadId = (): string => randomId(92);
export const newRequestId = (): string => randomId(52).replace(/[-_]/g, "A");

/** Lock and capacity IDs: 24 characters. */
export const newShortId = (): string => randomId(24).replace(/[-_]/g, "Z");
