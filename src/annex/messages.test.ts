import { describe, expect, it } from "vitest";
import { InternalError } from "../core/errors.ts";
import { formatMessage, type RemoteMessage } from "./messages.ts";

const key = new Uint8Array(Buffer.from("SHA256E-s3--\xe9t\xe9.txt", "latin1"));
const wire = (message: RemoteMessage) => Buffer.from(formatMessage(message)).toString("latin1");

describe("formatMessage", () => {
  it("writes replies with the request's key bytes unchanged", () => {
    expect(wire({ keyword: "TRANSFER-SUCCESS", direction: "STORE", key })).toBe(
      "TRANSFER-SUCCESS STORE SHA256E-s3--\xe9t\xe9.txt\n",
    );
    expect(wire({ keyword: "CHECKPRESENT-FAILURE", key })).toBe("CHECKPRESENT-FAILURE SHA256E-s3--\xe9t\xe9.txt\n");
  });

  it("writes replies without parameters as the bare keyword", () => {
    for (const keyword of [
      "PREPARE-SUCCESS",
      "CONFIGEND",
      "INFOEND",
      "UNSUPPORTED-REQUEST",
      "WHEREIS-FAILURE",
    ] as const) {
      expect(wire({ keyword })).toBe(`${keyword}\n`);
    }
  });

  it("turns line breaks in a message into spaces, since a reply is one line", () => {
    expect(
      wire({
        keyword: "TRANSFER-FAILURE",
        direction: "RETRIEVE",
        key: Uint8Array.of(0x4b),
        message: "job pending\r\nretry\nlater",
      }),
    ).toBe("TRANSFER-FAILURE RETRIEVE K job pending retry later\n");
  });

  it("writes empty credentials as CREDS-style trailing spaces and a password with spaces verbatim", () => {
    expect(wire({ keyword: "SETCREDS", setting: "aws", user: "", password: "" })).toBe("SETCREDS aws  \n");
    expect(wire({ keyword: "SETCREDS", setting: "aws", user: "AKID", password: "a b  c" })).toBe(
      "SETCREDS aws AKID a b  c\n",
    );
  });

  it("writes UTF-8 text as UTF-8 bytes", () => {
    expect(Buffer.from(formatMessage({ keyword: "INFO", message: "vault ☃" })).toString("utf8")).toBe("INFO vault ☃\n");
  });

  it("writes sizes, UNKNOWN sizes and MULTI triples for CHECKURL", () => {
    expect(wire({ keyword: "CHECKURL-CONTENTS", size: undefined, filename: "a b" })).toBe(
      "CHECKURL-CONTENTS UNKNOWN a b\n",
    );
    expect(
      wire({
        keyword: "CHECKURL-MULTI",
        entries: [
          { url: "u1", size: 3, filename: "f1" },
          { url: "u2", size: undefined, filename: "f2" },
        ],
      }),
    ).toBe("CHECKURL-MULTI u1 3 f1 u2 UNKNOWN f2\n");
  });

  it("refuses a field the protocol cannot carry instead of corrupting the stream", () => {
    expect(() => formatMessage({ keyword: "CONFIG", name: "my vault", description: "d" })).toThrow(InternalError);
    expect(() => formatMessage({ keyword: "SETSTATE", key, value: "a\nb" })).toThrow(InternalError);
    expect(() => formatMessage({ keyword: "SETCONFIG", setting: "vault", value: "v\r" })).toThrow(InternalError);
    expect(() => formatMessage({ keyword: "COST", cost: Number.NaN })).toThrow(InternalError);
  });
});
