import { describe, expect, it } from "vitest";
import { reportNames, reportPaths } from "./migrate-report-io.ts";

describe("migration report files", () => {
  it("names the local files after --report, dropping a .jsonl or .csv ending", () => {
    expect(reportPaths("/w/glacier-migrate-v")).toEqual({
      jsonl: "/w/glacier-migrate-v.jsonl",
      csv: "/w/glacier-migrate-v.csv",
    });
    expect(reportPaths("/w/r.CSV")).toEqual({ jsonl: "/w/r.jsonl", csv: "/w/r.csv" });
    expect(reportPaths("/w/r.jsonl")).toEqual({ jsonl: "/w/r.jsonl", csv: "/w/r.csv" });
  });

  it("puts the uploaded report under .glacier-migrate/, one per vault and shard", () => {
    expect(reportNames("v", undefined)).toEqual({
      jsonl: ".glacier-migrate/v.jsonl",
      csv: ".glacier-migrate/v.csv",
    });
    expect(reportNames("v", { index: 1, count: 1 }).jsonl).toBe(".glacier-migrate/v.jsonl");
    expect(reportNames("v", { index: 2, count: 3 })).toEqual({
      jsonl: ".glacier-migrate/v.shard-2-of-3.jsonl",
      csv: ".glacier-migrate/v.shard-2-of-3.csv",
    });
  });
});
