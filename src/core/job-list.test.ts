import { describe, expect, it } from "vitest";
import { jobListLine } from "./job-list.ts";
import type { JobDescription } from "./types.ts";

const job = (over: Partial<JobDescription>): JobDescription => ({
  jobId: "J",
  vault: "vault",
  action: "ArchiveRetrieval",
  status: "InProgress",
  completed: false,
  creationDate: Date.parse("2012-09-19T17:41:35.238Z"),
  creationDateText: "2012-09-19T17:41:35.238Z",
  archiveId: "ARCH",
  ...over,
});

describe("job list lines", () => {
  it("shows a pending archive job with its creation date and cached name", () => {
    expect(jobListLine(job({}), "SHA256E-s3--abc")).toBe("a/p 2012-09-19T17:41:35.238Z vault      SHA256E-s3--abc");
  });

  it("shows a finished job with its raw completion date", () => {
    const done = job({ status: "Succeeded", completed: true, completionDateText: "2012-09-19T21:41:35.238Z" });
    expect(jobListLine(done, "key")).toBe("a/d 2012-09-19T21:41:35.238Z vault      key");
  });

  it("marks a failed job with e", () => {
    expect(
      jobListLine(job({ status: "Failed", completed: true, completionDateText: "2013-01-01T00:00:00Z" }), "k"),
    ).toBe("a/e 2013-01-01T00:00:00Z vault      k");
  });

  it("shows id: and the archive id when the archive is not cached or has no name", () => {
    expect(jobListLine(job({}), undefined)).toBe("a/p 2012-09-19T17:41:35.238Z vault      id:ARCH");
    expect(jobListLine(job({}), null)).toBe("a/p 2012-09-19T17:41:35.238Z vault      id:ARCH");
  });

  it("leaves a trailing space for inventory jobs", () => {
    const inventory = job({ action: "InventoryRetrieval", archiveId: undefined });
    expect(jobListLine(inventory, undefined)).toBe("i/p 2012-09-19T17:41:35.238Z vault      ");
  });

  it("does not cut a vault name longer than ten characters", () => {
    expect(jobListLine(job({ vault: "a-long-vault-name" }), "k")).toBe(
      "a/p 2012-09-19T17:41:35.238Z a-long-vault-name k",
    );
  });

  it("gives git-annex exactly four words for an archive job", () => {
    expect(jobListLine(job({ status: "Succeeded" }), "SHA256E-s1--x").split(/\s+/)).toHaveLength(4);
  });
});
