import { describe, expect, it } from "vitest";
import { candidateJobs, checkWaitedJobs, chooseJob, type JobTarget } from "./job-choice.ts";
import type { JobDescription } from "./types.ts";

const H = 3600_000;
const now = Date.UTC(2026, 5, 1, 12);
const archive: JobTarget = { kind: "archive", archiveId: "ARCH", label: "archive_name" };
const inventory: JobTarget = { kind: "inventory", vault: "photos" };

let serial = 0;
function job(over: Partial<JobDescription>): JobDescription {
  serial += 1;
  return {
    jobId: `J${serial}`,
    vault: "photos",
    action: "ArchiveRetrieval",
    status: "InProgress",
    completed: false,
    creationDate: now - 5 * H,
    creationDateText: "",
    archiveId: "ARCH",
    archiveSize: 10,
    ...over,
  };
}
const succeeded = (hoursAgo: number, over: Partial<JobDescription> = {}) =>
  job({ status: "Succeeded", completed: true, completionDate: now - hoursAgo * H, ...over });
const failed = (hoursAgo: number, over: Partial<JobDescription> = {}) =>
  job({
    status: "Failed",
    completed: true,
    completionDate: now - hoursAgo * H,
    statusMessage: "The archive was deleted.",
    ...over,
  });
const input = { now, maxAgeHours: 24, wait: false };

describe("choosing a retrieval job", () => {
  it("queues a retrieval job when there is none, with glacier-cli's message", () => {
    expect(chooseJob([], archive, input)).toEqual({
      action: "initiate",
      then: "report",
      queuedMessage: "queued retrieval job for archive 'archive_name'",
    });
  });

  it("uses the succeeded job with the latest completion date", () => {
    const older = succeeded(5);
    const newer = succeeded(1);
    expect(chooseJob([older, newer, job({})], archive, input)).toEqual({ action: "use", job: newer });
  });

  it("reports a running job as pending without --wait and waits for it with --wait", () => {
    const running = job({});
    expect(chooseJob([running], archive, input)).toEqual({
      action: "pending",
      jobs: [running],
      message: "job still pending for archive 'archive_name'",
    });
    expect(chooseJob([running], archive, { ...input, wait: true })).toEqual({ action: "wait", jobs: [running] });
  });

  it("never uses a failed job: it reports it and queues a replacement", () => {
    const bad = failed(1);
    expect(chooseJob([bad], archive, { ...input, wait: true })).toEqual({
      action: "initiate",
      then: "wait",
      queuedMessage: "queued retrieval job for archive 'archive_name'",
      replaces: bad,
      notice: "retrieval job for archive 'archive_name' failed (The archive was deleted.); queuing a new one",
    });
  });

  it("waits for a running job rather than replacing an older failed one", () => {
    const running = job({});
    expect(chooseJob([failed(2), running], archive, input)).toMatchObject({ action: "pending", jobs: [running] });
  });

  it("does not reuse a job whose output expired 24 hours after completion", () => {
    expect(chooseJob([succeeded(24)], archive, input)).toMatchObject({ action: "initiate" });
    expect(chooseJob([succeeded(23.9)], archive, input)).toMatchObject({ action: "use" });
  });

  it("ignores jobs for other archives and retrievals of only part of the archive", () => {
    const jobs = [succeeded(1, { archiveId: "OTHER" }), succeeded(1, { retrievalByteRange: "0-4" })];
    expect(candidateJobs(jobs, archive, now, 24)).toEqual([]);
    expect(candidateJobs([succeeded(1, { retrievalByteRange: "0-9" })], archive, now, 24)).toHaveLength(1);
  });
});

describe("choosing an inventory job", () => {
  const inv = (over: Partial<JobDescription>) =>
    job({ action: "InventoryRetrieval", archiveId: undefined, archiveSize: undefined, ...over });

  it("queues an inventory job with the original's quoted vault name", () => {
    expect(chooseJob([], inventory, input)).toMatchObject({
      action: "initiate",
      queuedMessage: "queued inventory job for 'photos'",
    });
  });

  it("reports a pending inventory job", () => {
    expect(chooseJob([inv({})], inventory, input)).toMatchObject({
      action: "pending",
      message: "job still pending for inventory on 'photos'",
    });
  });

  it("reuses an inventory completed within max-age and not an older one", () => {
    const recent = inv({ status: "Succeeded", completed: true, completionDate: now - 10 * H });
    expect(chooseJob([recent], inventory, input)).toEqual({ action: "use", job: recent });
    expect(chooseJob([recent], inventory, { ...input, maxAgeHours: 9 })).toMatchObject({ action: "initiate" });
  });

  it("with max-age 0 only waits for running jobs and never reuses a completed one", () => {
    const recent = inv({ status: "Succeeded", completed: true, completionDate: now - 1 });
    expect(candidateJobs([recent, inv({})], inventory, now, 0)).toHaveLength(1);
    expect(chooseJob([recent], inventory, { ...input, maxAgeHours: 0 })).toMatchObject({ action: "initiate" });
  });

  it("does not mistake a retrieval job for an inventory job", () => {
    expect(chooseJob([succeeded(1)], inventory, input)).toMatchObject({ action: "initiate" });
  });
});

describe("checking jobs while waiting", () => {
  it("uses a job once it succeeded", () => {
    const done = succeeded(0);
    expect(checkWaitedJobs([job({}), done], archive)).toEqual({ action: "use", job: done });
  });

  it("keeps waiting while any job runs", () => {
    expect(checkWaitedJobs([failed(0), job({})], archive)).toEqual({ action: "keep-waiting" });
  });

  it("replaces the job when every waited-for job failed", () => {
    const bad = failed(0, { statusMessage: undefined });
    expect(checkWaitedJobs([bad], inventory)).toEqual({
      action: "replace",
      failed: bad,
      notice: "inventory job for 'photos' failed (no reason given); queuing a new one",
    });
  });
});
