import { describe, expect, it } from "vitest";
import { formatBytes, formatUsd, plural } from "./human-units.ts";

describe("human units", () => {
  it("prints exact byte counts with a rounded binary unit beside them", () => {
    expect(formatBytes(0)).toBe("0 bytes");
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(1023)).toBe("1023 bytes");
    expect(formatBytes(1024)).toBe("1024 bytes (1.0 KiB)");
    expect(formatBytes(41943040)).toBe("41943040 bytes (40.0 MiB)");
    expect(formatBytes(3 * 1024 ** 4)).toBe("3298534883328 bytes (3.0 TiB)");
  });

  it("prints dollars in cents from $1 and with four decimals below", () => {
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(12.345)).toBe("$12.35");
    expect(formatUsd(0.0195)).toBe("$0.0195");
    expect(formatUsd(0.00004)).toBe("<$0.0001");
  });

  it("says 1 file and 2 files", () => {
    expect(plural(1, "file")).toBe("1 file");
    expect(plural(2, "file")).toBe("2 files");
    expect(plural(0, "archive")).toBe("0 archives");
  });
});
