import { describe, expect, it } from "vitest";
import { reportCsvHeader, reportCsvRow, reportEntry, reportJsonLine, type ReportEntry } from "./migrate-report.ts";
import type { CachedArchive } from "./types.ts";

const entry: ReportEntry = {
  archiveId: "AID",
  description: 'photos/été, "best".jpg',
  key: 'pre/photos/été, "best".jpg',
  size: 1234,
  treeHash: "ab".repeat(32),
  s3Checksum: "x1Y2==-3",
  createdAt: Date.UTC(2020, 0, 2, 3, 4, 5),
  requestedAt: Date.UTC(2026, 11, 1),
  verifiedAt: null,
  deletedAt: null,
  state: "requested",
};

describe("migration report", () => {
  it("writes one JSON object per line with ISO times and null for what is unknown", () => {
    const line = reportJsonLine(entry);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({
      archive_id: "AID",
      description: 'photos/été, "best".jpg',
      key: 'pre/photos/été, "best".jpg',
      size: 1234,
      tree_hash: "ab".repeat(32),
      s3_checksum: "x1Y2==-3",
      created: "2020-01-02T03:04:05.000Z",
      requested: "2026-12-01T00:00:00.000Z",
      verified: null,
      deleted: null,
      state: "requested",
    });
  });

  it("writes CSV rows under a header, quoting commas, quotes, line breaks and edge spaces", () => {
    expect(reportCsvHeader()).toBe(
      "archive_id,description,key,size,tree_hash,s3_checksum,created,requested,verified,deleted,state\r\n",
    );
    expect(reportCsvRow(entry)).toBe(
      `AID,"photos/été, ""best"".jpg","pre/photos/été, ""best"".jpg",1234,${"ab".repeat(32)},x1Y2==-3,` +
        "2020-01-02T03:04:05.000Z,2026-12-01T00:00:00.000Z,,,requested\r\n",
    );
    const odd = reportCsvRow({ ...entry, description: "two\nlines", key: " lead", size: null });
    expect(odd.startsWith('AID,"two\nlines"," lead",,')).toBe(true);
  });

  it("takes the archive's facts from the cache and the copy's from the ledger", () => {
    const archive: CachedArchive = {
      id: "AID",
      vault: "v",
      name: "n",
      treeHash: "cd".repeat(32),
      size: 5,
      lastSeenUpstream: null,
      createdHere: null,
      deletedHere: null,
      creationDate: 1000,
    };
    expect(
      reportEntry(archive, {
        targetKey: "p/n",
        s3Checksum: "c",
        treeHash: null,
        state: "deleted",
        times: { requested: 2000, verified: 3000, deleted: 4000 },
      }),
    ).toEqual({
      archiveId: "AID",
      description: "n",
      key: "p/n",
      size: 5,
      treeHash: "cd".repeat(32),
      s3Checksum: "c",
      createdAt: 1000,
      requestedAt: 2000,
      verifiedAt: 3000,
      deletedAt: 4000,
      state: "deleted",
    });
  });
});
