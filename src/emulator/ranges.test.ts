// GetJobOutput Range parsing (docs/glacier-api.md#job-output).
import { describe, expect, it } from "vitest";
import { parseRange } from "./ranges.ts";

describe("job output ranges", () => {
  it("serves the whole output without a Range header", () => {
    expect(parseRange(undefined, 100)).toEqual({ start: 0, end: 99, partial: false });
  });

  it("clamps an end past the output, as boto 2's 4 MiB chunks need", () => {
    expect(parseRange("bytes=50-4194303", 100)).toEqual({ start: 50, end: 99, partial: true });
  });

  it("understands open-ended and suffix ranges", () => {
    expect(parseRange("bytes=90-", 100)).toEqual({ start: 90, end: 99, partial: true });
    expect(parseRange("bytes=-10", 100)).toEqual({ start: 90, end: 99, partial: true });
  });

  it("refuses a start beyond the output and malformed ranges", () => {
    expect(() => parseRange("bytes=100-200", 100)).toThrow("The requested range is not satisfiable");
    expect(() => parseRange("bytes=5-1", 100)).toThrow("not satisfiable");
    expect(() => parseRange("items=0-1", 100)).toThrow("Invalid range");
  });
});
