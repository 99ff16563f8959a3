import { describe, expect, it } from "vitest";
import { pyRepr } from "./py-repr.ts";

describe("pyRepr", () => {
  it("wraps a plain name in single quotes", () => {
    expect(pyRepr("foo")).toBe("'foo'");
  });

  it("uses double quotes when the name contains a single quote", () => {
    expect(pyRepr("it's")).toBe(`"it's"`);
  });

  it("keeps single quotes and escapes them when the name contains both kinds", () => {
    expect(pyRepr(`it's "x"`)).toBe(`'it\\'s "x"'`);
  });

  it("escapes backslashes, tabs, newlines and carriage returns", () => {
    expect(pyRepr("a\\b\tc\nd\re")).toBe("'a\\\\b\\tc\\nd\\re'");
  });

  it("shows other control characters as \\x escapes", () => {
    expect(pyRepr("\x00\x1b\x7f")).toBe("'\\x00\\x1b\\x7f'");
  });

  it("keeps printable non-ASCII text and escapes non-printable code points", () => {
    expect(pyRepr("café ü 日本")).toBe("'café ü 日本'");
    expect(pyRepr("a\u00a0b\u200bc\u{e0001}")).toBe("'a\\xa0b\\u200bc\\U000e0001'");
  });

  it("escapes a lone surrogate", () => {
    expect(pyRepr("x\ud800")).toBe("'x\\ud800'");
  });
});
