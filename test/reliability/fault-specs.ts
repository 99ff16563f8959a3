// The fault mixes of the harness (src/emulator/README.md#faults) and how their outcome is read:
// about 10% of requests faulted with every kind, or every request faulted; which faults the request
// log shows; whether stderr is one clear message rather than a stack trace.
import type { FaultSpec, RequestLogEntry } from "../../src/emulator/index.ts";

/** Glacier's requests that send archive bytes, and the one that returns them. */
const GLACIER_UPLOADS = ["UploadArchive", "UploadMultipartPart"];
const GLACIER_DOWNLOADS = ["GetJobOutput"];

/** Every fault kind, about 10% of all requests: 2.5% each of throttle/500/503/reset on any call,
 * plus 408 and reset mid upload on uploads, resets mid body, truncation and flipped bytes on downloads. */
export function tenPercent(uploads = GLACIER_UPLOADS, downloads = GLACIER_DOWNLOADS): FaultSpec[] {
  return [
    ...(["throttle", "500", "503", "reset"] as const).map((kind) => ({ kind, probability: 0.025 })),
    ...uploads.flatMap((operation) =>
      (["408", "reset-upload"] as const).map((kind) => ({ kind, operation, probability: 0.02 })),
    ),
    ...downloads.flatMap((operation) =>
      (["reset-body", "truncate", "corrupt"] as const).map((kind) => ({ kind, operation, probability: 0.02 })),
    ),
  ];
}

/** Every request faulted: 408 and resets mid upload on uploads, then throttling, 503, resets and 500. */
export function everyRequest(uploads = GLACIER_UPLOADS): FaultSpec[] {
  return [
    ...uploads.flatMap((operation) => [
      { kind: "408" as const, operation, probability: 0.2 },
      { kind: "reset-upload" as const, operation, probability: 0.25 },
    ]),
    { kind: "throttle", probability: 0.25 },
    { kind: "503", probability: 0.33 },
    { kind: "reset", probability: 0.5 },
    { kind: "500" },
  ];
}

export function faultCounts(log: readonly RequestLogEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  // The first rule drawn is the one that acted (an error or reset ends the request there).
  for (const r of log) if (r.faults[0] !== undefined) counts.set(r.faults[0], (counts.get(r.faults[0]) ?? 0) + 1);
  return counts;
}

/** At least one line besides info and warnings, and no stack trace. */
export const oneLine = (stderr: string): boolean =>
  stderr
    .trim()
    .split("\n")
    .filter((l) => !l.startsWith("glacier: info:") && !l.startsWith("glacier: warning:")).length >= 1 &&
  !/\n\s+at /.test(stderr);
