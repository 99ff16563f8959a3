import { describe, expect, it } from "vitest";
import { parseRequest } from "./requests.ts";

const line = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

describe("parseRequest", () => {
  it("reads TRANSFER's direction, key, and a File with spaces, CR and invalid UTF-8 verbatim", () => {
    const parsed = parseRequest(line("TRANSFER RETRIEVE SHA256E-s1--x.txt .git/annex/tmp/a  b\xff \r"));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.request.keyword !== "TRANSFER") throw new Error("not a TRANSFER");
    expect(parsed.request.direction).toBe("RETRIEVE");
    expect(text(parsed.request.key)).toBe("SHA256E-s1--x.txt");
    expect(text(parsed.request.file)).toBe(".git/annex/tmp/a  b\xff \r");
  });

  it("reads the offered extensions as a list, and an empty offer as an empty list", () => {
    expect(parseRequest(line("EXTENSIONS INFO GETGITREMOTENAME ASYNC"))).toEqual({
      ok: true,
      request: { keyword: "EXTENSIONS", extensions: ["INFO", "GETGITREMOTENAME", "ASYNC"] },
    });
    expect(parseRequest(line("EXTENSIONS"))).toEqual({ ok: true, request: { keyword: "EXTENSIONS", extensions: [] } });
  });

  it("accepts a request without parameters followed by a single trailing space", () => {
    expect(parseRequest(line("PREPARE "))).toEqual({ ok: true, request: { keyword: "PREPARE" } });
  });

  it("calls a well-formed keyword it does not know unknown, so the session can answer UNSUPPORTED-REQUEST", () => {
    expect(parseRequest(line("TRANSFEREXPORT STORE K f"))).toMatchObject({
      ok: false,
      problem: "unknown",
      keyword: "TRANSFEREXPORT",
    });
  });

  it("calls lines that do not start with a keyword garbage", () => {
    for (const garbage of ["", " PREPARE", "prepare", "\xff\xfe", "PRE\tPARE"]) {
      expect(parseRequest(line(garbage))).toMatchObject({ ok: false, problem: "garbage" });
    }
  });

  it("names what is wrong with a known request whose parameters are missing or invalid", () => {
    const cases: [string, string][] = [
      ["TRANSFER STORE K", "TRANSFER: missing parameters (expects 3)"],
      ["CHECKPRESENT", "CHECKPRESENT: missing parameters (expects 1)"],
      ["REMOVE ", "REMOVE: empty key"],
      ["TRANSFER MOVE K f", 'TRANSFER: unknown direction "MOVE"'],
      ["PREPARE now", "PREPARE: takes no parameters"],
    ];
    for (const [input, message] of cases) {
      expect(parseRequest(line(input))).toEqual({
        ok: false,
        problem: "malformed",
        keyword: input.split(" ")[0],
        message,
      });
    }
  });
});
