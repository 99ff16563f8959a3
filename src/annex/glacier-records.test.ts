import { describe, expect, it } from "vitest";
import {
  archiveName,
  decidePresence,
  formatState,
  parseRetrieval,
  parseState,
  type KeyRecord,
} from "./glacier-records.ts";

const HOUR = 3600_000;
const NOW = Date.UTC(2026, 10, 27, 12);
const recorded = (createdHere: number | null, lastSeenUpstream: number | null = null): KeyRecord => ({
  archiveId: "A1",
  treeHash: null,
  size: 5,
  createdHere,
  lastSeenUpstream,
  from: "state",
});

describe("archive names for keys", () => {
  it("are the file prefix followed by the key, as the built-in glacier remote names archives", () => {
    expect(archiveName("", Buffer.from("SHA256E-s5--2cf24dba.txt"))).toBe("SHA256E-s5--2cf24dba.txt");
    expect(archiveName("annex/", Buffer.from("WORM-s1-m2--a"))).toBe("annex/WORM-s1-m2--a");
  });

  it("read a UTF-8 key as text and any other key one char per byte, keeping distinct keys distinct", () => {
    expect(archiveName("", Buffer.from("SHA256E-s5--x.café"))).toBe("SHA256E-s5--x.café");
    expect(archiveName("", Uint8Array.from([0x4b, 0xe9, 0xff]))).toBe("K\u00e9\u00ff");
  });
});

describe("the per-key state in the git-annex branch", () => {
  it("round-trips archive id, tree hash, size and upload time", () => {
    const text = formatState({ archiveId: "abc-_1", treeHash: "0".repeat(64), size: 12, uploadedAt: 1790000000000 });
    expect(text).toBe(`abc-_1 ${"0".repeat(64)} 12 1790000000000`);
    expect(parseState(text)).toEqual({
      archiveId: "abc-_1",
      treeHash: "0".repeat(64),
      size: 12,
      lastSeenUpstream: null,
      createdHere: 1790000000000,
      from: "state",
    });
  });

  it("reads an empty value (never stored, or removed) as no archive", () => {
    expect(parseState("")).toBeUndefined();
    expect(parseState(" ")).toBeUndefined();
  });
});

describe("CHECKPRESENT's answer", () => {
  const base = { maxAgeHours: 80, now: NOW };

  it("is absent when no clone recorded the key", () => {
    expect(decidePresence({ ...base, record: undefined, policy: "trust" })).toEqual({ kind: "absent" });
  });

  it("trusts any record with checkpresent=trust, however old", () => {
    expect(decidePresence({ ...base, record: recorded(0), policy: "trust" })).toEqual({ kind: "present" });
  });

  it("trusts a record within maxage hours with checkpresent=maxage, as glacier archive checkpresent does", () => {
    expect(decidePresence({ ...base, record: recorded(NOW - 79 * HOUR), policy: "maxage" })).toEqual({
      kind: "present",
    });
    expect(decidePresence({ ...base, record: recorded(NOW - 200 * HOUR, NOW - 2 * HOUR), policy: "maxage" })).toEqual({
      kind: "present",
    });
    expect(decidePresence({ ...base, record: recorded(NOW - 81 * HOUR), policy: "maxage" })).toEqual({
      kind: "unknown",
      reason: "archive A1 has not been seen in the last 80 hours (checkpresent=maxage); run glacier vault sync",
    });
  });

  it("never calls a record proof with checkpresent=paranoid", () => {
    expect(decidePresence({ ...base, record: recorded(NOW), policy: "paranoid" })).toMatchObject({ kind: "unknown" });
  });
});

describe("a retrieval recorded in the per-key state", () => {
  it("round-trips tier, request time and job id beside the archive, which older readers still parse", () => {
    const retrieval = {
      jobId: "restore:SHA256E-s5--a b%",
      tier: "Bulk" as const,
      requestedAt: 1790000000000,
      readyAt: 1790043200000,
    };
    const text = formatState({ archiveId: "A1", treeHash: "0".repeat(64), size: 5, uploadedAt: 7, retrieval });
    expect(text).toBe(
      `A1 ${"0".repeat(64)} 5 7 retrieval=Bulk:1790000000000:1790043200000:restore%3ASHA256E-s5--a%20b%25`,
    );
    expect(parseRetrieval(text)).toEqual(retrieval);
    expect(parseState(text)).toMatchObject({ archiveId: "A1", size: 5, createdHere: 7 });
  });

  it("is absent from a state without one, or with one that does not parse", () => {
    expect(parseRetrieval(`A1 ${"0".repeat(64)} 5 7`)).toBeUndefined();
    expect(parseRetrieval(`A1 ${"0".repeat(64)} 5 7 retrieval=Bulk:1:j`)).toBeUndefined();
    expect(parseRetrieval(`A1 ${"0".repeat(64)} 5 7 retrieval=Instant:1:2:j`)).toBeUndefined();
    expect(parseRetrieval(`A1 ${"0".repeat(64)} 5 7 retrieval=Bulk:1:2:%E0%A4%A`)).toBeUndefined();
  });
});
