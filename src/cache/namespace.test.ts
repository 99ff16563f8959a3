import { describe, expect, it } from "vitest";
import { namespaceKey, seesLegacyRows } from "./namespace.ts";
import { headerProblem } from "./sqlite.ts";
import { parseRef } from "./queries.ts";

describe("cache namespaces", () => {
  it("keys AWS rows by region and other services by region and endpoint, never by credentials", () => {
    expect(namespaceKey({ region: "eu-west-1" })).toBe("glacier:eu-west-1");
    expect(namespaceKey({ region: "us-east-1", endpoint: "local:/srv/v" })).toBe("glacier:us-east-1:local:/srv/v");
    expect(seesLegacyRows({ region: "eu-west-1" })).toBe(true);
    expect(seesLegacyRows({ region: "us-east-1", endpoint: "http://127.0.0.1:1" })).toBe(false);
  });

  it("rejects an empty region rather than keying rows by nothing", () => {
    expect(() => namespaceKey({ region: " " })).toThrow(RangeError);
  });
});

describe("archive refs (docs/compatibility.md#archive-refs)", () => {
  it("reads id:, name: and bare names", () => {
    expect(parseRef("id:abc")).toEqual({ by: "id", value: "abc" });
    expect(parseRef("name:id:x")).toEqual({ by: "name", value: "id:x" });
    expect(parseRef("photos.tar")).toEqual({ by: "name", value: "photos.tar" });
  });
});

describe("database header check", () => {
  it("accepts an empty file (a new cache) and rejects short or foreign ones", () => {
    expect(headerProblem(new Uint8Array())).toBeNull();
    expect(headerProblem(Buffer.from("SQLite format 3\0"))).toBe("file is not a database");
    expect(headerProblem(Buffer.alloc(4096))).toBe("file is not a database");
  });
});
