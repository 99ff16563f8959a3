import { describe, expect, it } from "vitest";
import { afterSync, firstLook, presence } from "./checkpresent.ts";

const H = 3600_000;
const now = Date.UTC(2026, 5, 1);
const row = (lastSeenUpstream: number | null, createdHere: number | null) => ({ lastSeenUpstream, createdHere });

describe("presence", () => {
  it("counts an archive uploaded here within max-age as present without any inventory", () => {
    expect(presence(row(null, now - 79 * H), now, 80)).toBe("present");
  });

  it("prefers the last inventory sighting over the upload time", () => {
    expect(presence(row(now - 81 * H, now - H), now, 80)).toBe("too-old");
    expect(presence(row(now - 10 * H, now - 500 * H), now, 80)).toBe("present");
  });

  it("counts a sighting exactly max-age ago as present and one a millisecond older as too old", () => {
    expect(presence(row(now - 80 * H, null), now, 80)).toBe("present");
    expect(presence(row(now - 80 * H - 1, null), now, 80)).toBe("too-old");
  });

  it("treats max-age 0 and a row with no dates as too old", () => {
    expect(presence(row(now, now), now, 0)).toBe("too-old");
    expect(presence(row(null, null), now, 80)).toBe("too-old");
  });

  it("reports a missing row as not found", () => {
    expect(presence(undefined, now, 80)).toBe("not-found");
  });
});

describe("checkpresent steps", () => {
  it("prints the ref at once when the archive is present", () => {
    expect(firstLook("k", row(now, null), now, 80, false)).toEqual({ action: "print" });
  });

  it("reports not found without --wait and does not sync", () => {
    expect(firstLook("k", undefined, now, 80, false)).toEqual({ action: "report", message: "archive 'k' not found" });
  });

  it("syncs when the row is missing and --wait is given, or when it is too old", () => {
    expect(firstLook("k", undefined, now, 80, true)).toEqual({ action: "sync" });
    expect(firstLook("k", row(now - 100 * H, null), now, 80, false)).toEqual({ action: "sync" });
  });

  it("says the archive may not be in the inventory yet when a completed sync does not find it", () => {
    expect(afterSync("k", undefined, now, 80, true)).toEqual({
      action: "report",
      message: "archive 'k' not found, but it may not be in the inventory yet",
    });
  });

  it("says the archive was not seen recently enough when the sync was only queued", () => {
    expect(afterSync("it's", row(now - 100 * H, null), now, 80, false)).toEqual({
      action: "report",
      message: `archive "it's" found, but has not been seen recently enough to consider it present`,
    });
  });

  it("prints the ref when the sync refreshed the sighting", () => {
    expect(afterSync("k", row(now - 70 * H, null), now, 80, true)).toEqual({ action: "print" });
  });
});
