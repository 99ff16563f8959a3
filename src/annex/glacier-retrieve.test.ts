import { describe, expect, it } from "vitest";
import type { JobDescription } from "../core/types.ts";
import { pendingLine } from "./glacier-retrieve.ts";

const job = (tier: JobDescription["tier"]): JobDescription => ({
  jobId: "JOB-1",
  vault: "v",
  action: "ArchiveRetrieval",
  status: "InProgress",
  completed: false,
  creationDate: Date.UTC(2026, 10, 27, 9, 30),
  creationDateText: "2026-11-27T09:30:00.000Z",
  archiveId: "A1",
  ...(tier ? { tier } : {}),
});

describe("the pending retrieval message", () => {
  it("names the job, when it started and when the tier's typical time ends, and says what to run then", () => {
    expect(pendingLine(job("Standard"), true, "Standard")).toBe(
      "Glacier retrieval job JOB-1 (Standard) initiated 2026-11-27 09:30 UTC; not available yet, expected by " +
        "2026-11-27 14:30 UTC: run git annex get --failed then",
    );
    expect(pendingLine(job("Bulk"), false, "Standard")).toBe(
      "Glacier retrieval job JOB-1 (Bulk) in progress since 2026-11-27 09:30 UTC; not available yet, " +
        "expected by 2026-11-27 21:30 UTC: run git annex get --failed then",
    );
  });

  it("uses the configured tier when Glacier does not say which one the job has", () => {
    expect(pendingLine(job(undefined), true, "Expedited")).toContain(
      "(Expedited) initiated 2026-11-27 09:30 UTC; not available yet, expected by 2026-11-27 09:35 UTC",
    );
  });
});
