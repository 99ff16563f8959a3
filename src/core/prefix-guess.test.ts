import { describe, expect, it } from "vitest";
import { guessPrefix } from "./prefix-guess.ts";

describe("prefix guess", () => {
  it("finds the prefix under which most local names are archives", () => {
    expect(
      guessPrefix(
        ["Info.plist", "bands/0", "bands/1"],
        ["mac/tm/Info.plist", "mac/tm/bands/0", "other/bands/1", "mac/tm/bands/1"],
      ),
    ).toBe("mac/tm/");
  });

  it("finds none when no archive ends with a local name", () => {
    expect(guessPrefix(["a", "b"], ["x/c", "d"])).toBeUndefined();
  });
});
