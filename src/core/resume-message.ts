// The line that tells a user an interrupted upload was taken up where it stopped, and how much of it
// Glacier already held, so a rerun after a crash does not look like a fresh start.
import { formatBytes, plural } from "./human-units.ts";
import { pyRepr } from "./py-repr.ts";

export interface ResumedUploadFacts {
  partsStored: number;
  partsTotal: number;
  bytesStored: number;
  size: number;
}

export function resumedUploadMessage(name: string, facts: ResumedUploadFacts): string {
  const left = facts.partsTotal - facts.partsStored;
  return (
    `resumed the interrupted upload of ${pyRepr(name)}: ${facts.partsStored} of ${plural(facts.partsTotal, "part")} ` +
    (`(${formatBytes(facts.bytesStored)} of ${formatBytes(facts.size)}) already stored in Glacier; sending ` +
      `the other ${left}`)
  );
}
