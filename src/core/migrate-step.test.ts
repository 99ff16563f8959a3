import { describe, expect, it } from "vitest";
import {
  EXPIRY_MARGIN_MS,
  holdsArchive,
  JOB_OUTPUT_MS,
  migrationStep,
  type StepEntry,
  type StepInput,
} from "./migrate-step.ts";
import { DAY_MS } from "./prices.ts";
import type { JobDescription } from "./types.ts";

const now = Date.UTC(2026, 11, 1);
const HOUR = 3600_000;

const entry = (archiveId: string, state: StepEntry["state"], extra: Partial<StepEntry> = {}): StepEntry => ({
  archiveId,
  state,
  jobId: state === "planned" ? null : `job-${archiveId}`,
  size: 100,
  times: {},
  ...extra,
});

function job(id: string, status: JobDescription["status"], completedAgo?: number): JobDescription {
  return {
    jobId: id,
    vault: "v",
    action: "ArchiveRetrieval",
    status,
    completed: status !== "InProgress",
    creationDate: now - DAY_MS * 2,
    creationDateText: "",
    ...(completedAgo !== undefined ? { completionDate: now - completedAgo } : {}),
  };
}

function step(entries: StepEntry[], jobs: JobDescription[] | Map<string, JobDescription | null>, more = {}) {
  const input: StepInput<StepEntry> = {
    items: entries.map((e) => ({ archiveId: e.archiveId, key: `k/${e.archiveId}`, size: e.size ?? 0 })),
    entries,
    jobs: jobs instanceof Map ? jobs : new Map(jobs.map((j) => [j.jobId, j])),
    now,
    maxJobs: 1000,
    deleteSource: false,
    ...more,
  };
  return migrationStep(input);
}

const ids = (list: readonly { archiveId: string }[]) => list.map((e) => e.archiveId);

describe("a committed migration's step", () => {
  it("requests planned archives, copies succeeded jobs, waits for running ones", () => {
    const s = step(
      [entry("a", "planned"), entry("b", "requested"), entry("c", "requested"), entry("d", "uploading")],
      [job("job-b", "InProgress"), job("job-c", "Succeeded", HOUR), job("job-d", "Succeeded", HOUR)],
    );
    expect(ids(s.request)).toEqual(["a"]);
    expect(ids(s.running)).toEqual(["b"]);
    expect(ids(s.retrieved)).toEqual(["c"]);
    expect(s.copy.map((c) => [c.entry.archiveId, c.job.jobId])).toEqual([
      ["c", "job-c"],
      ["d", "job-d"],
    ]);
    expect(s.rerequest).toEqual([]);
    expect(s.delete).toEqual([]);
  });

  it("requests again a failed job, an expired one, and one too near expiry unless its copy began", () => {
    const nearly = JOB_OUTPUT_MS - EXPIRY_MARGIN_MS / 2;
    const s = step(
      [
        entry("f", "requested"),
        entry("gone", "retrieved"),
        entry("old", "retrieved"),
        entry("near", "retrieved"),
        entry("started", "uploading"),
      ],
      new Map<string, JobDescription | null>([
        ["job-f", job("job-f", "Failed", HOUR)],
        ["job-gone", null],
        ["job-old", job("job-old", "Succeeded", JOB_OUTPUT_MS)],
        ["job-near", job("job-near", "Succeeded", nearly)],
        ["job-started", job("job-started", "Succeeded", nearly)],
      ]),
    );
    expect(s.rerequest.map((r) => [r.entry.archiveId, r.reason])).toEqual([
      ["f", "failed"],
      ["gone", "expired"],
      ["old", "expired"],
      ["near", "expiring"],
    ]);
    expect(ids(s.copy.map((c) => c.entry))).toEqual(["started"]);
  });

  it("keeps at most --max-jobs jobs running, re-requests first", () => {
    const s = step(
      [entry("r", "requested"), entry("f", "requested"), entry("p1", "planned"), entry("p2", "planned")],
      [job("job-r", "InProgress"), job("job-f", "Failed", HOUR)],
      { maxJobs: 3 },
    );
    expect(ids(s.rerequest.map((r) => r.entry))).toEqual(["f"]);
    expect(ids(s.request)).toEqual(["p1"]);
    expect(s.held).toBe(1);
    expect(s.nextRequestAt).toBeUndefined();
  });

  it("counts bytes requested in the last 24 hours against --max-bytes-per-day, in plan order", () => {
    const entries = [
      entry("x", "verified", { times: { requested: now - 20 * HOUR } }),
      entry("y", "verified", { times: { requested: now - 30 * HOUR } }),
      entry("c", "planned"),
      entry("a", "planned"),
      entry("b", "planned"),
    ];
    const s = migrationStep({
      items: ["a", "b", "c", "x", "y"].map((id) => ({ archiveId: id, key: id, size: 100 })),
      entries,
      jobs: new Map(),
      now,
      maxJobs: 10,
      maxBytesPerDay: 300,
      deleteSource: false,
    });
    expect(ids(s.request)).toEqual(["a", "b"]);
    expect(s.held).toBe(1);
    expect(s.nextRequestAt).toBe(now + 4 * HOUR);
  });

  it("lets an archive larger than the daily limit go alone on a day with nothing else requested", () => {
    const big = step([entry("big", "planned", { size: 1000 }), entry("next", "planned")], [], { maxBytesPerDay: 500 });
    expect(ids(big.request)).toEqual(["big"]);
    expect(big.held).toBe(1);
  });

  it("deletes verified archives only with --delete-source, never deleted or unverified ones", () => {
    const entries = [entry("v", "verified"), entry("d", "deleted"), entry("u", "uploading")];
    const jobs = [job("job-u", "Succeeded", HOUR)];
    expect(step(entries, jobs).delete).toEqual([]);
    expect(ids(step(entries, jobs, { deleteSource: true }).delete)).toEqual(["v"]);
  });

  it("leaves alone planned rows no longer in this shard's plan and jobs it did not describe", () => {
    const s = migrationStep({
      items: [],
      entries: [entry("p", "planned"), entry("r", "requested")],
      jobs: new Map(),
      now,
      maxJobs: 10,
      deleteSource: false,
    });
    expect([s.request, s.rerequest, s.copy, s.running]).toEqual([[], [], [], []]);
  });
});

describe("an object already at an archive's key", () => {
  const archive = { treeHash: "ab".repeat(32), size: 100 };

  it("holds the archive when its tree hash and size are the archive's: adopted, no job requested", () => {
    expect(holdsArchive({ ...archive }, archive)).toBe(true);
  });

  it("does not when the key is empty, the object differs, or the archive's tree hash is unknown", () => {
    expect(holdsArchive(undefined, archive)).toBe(false);
    expect(holdsArchive({ ...archive, size: 99 }, archive)).toBe(false);
    expect(holdsArchive({ ...archive, treeHash: "cd".repeat(32) }, archive)).toBe(false);
    expect(holdsArchive(archive, { treeHash: null, size: 100 })).toBe(false);
  });
});
