import { describe, expect, it } from "vitest";
import { resumedUploadMessage } from "./resume-message.ts";

describe("resumedUploadMessage", () => {
  it("says how many parts and bytes were already stored and how many are left", () => {
    expect(
      resumedUploadMessage("disk.img", { partsStored: 3, partsTotal: 5, bytesStored: 3 * 1048576, size: 4_500_000 }),
    ).toBe(
      "resumed the interrupted upload of 'disk.img': 3 of 5 parts (3145728 bytes (3.0 MiB) of 4500000 bytes " +
        "(4.3 MiB)) already stored in Glacier; sending the other 2",
    );
  });
});
