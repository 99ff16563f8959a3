import { describe, expect, it } from "vitest";
import { encodeLine, LineBuffer, splitFields, splitKeyword } from "./wire.ts";

// Plain Uint8Array, like everything the wire layer returns, so toEqual compares bytes only.
const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(
    Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part, "latin1") : Buffer.from(part)))),
  );
const lines = (buffer: LineBuffer) => {
  const out: string[] = [];
  for (let line = buffer.tryReadLine(); line !== undefined; line = buffer.tryReadLine())
    out.push(Buffer.from(line).toString("latin1"));
  return out;
};

describe("LineBuffer", () => {
  it("hands out a line only once its 0x0A has arrived, across any chunking", () => {
    const buffer = new LineBuffer();
    buffer.append(bytes("TRANSFER STO"));
    expect(buffer.tryReadLine()).toBeUndefined();
    buffer.append(bytes("RE K f\nPREP"));
    expect(lines(buffer)).toEqual(["TRANSFER STORE K f"]);
    buffer.append(bytes("ARE\n\nGETCOST\n"));
    expect(lines(buffer)).toEqual(["PREPARE", "", "GETCOST"]);
  });

  it("delivers the same lines when fed one byte at a time", () => {
    const input = bytes("VALUE a b \nCREDS  \n");
    const buffer = new LineBuffer();
    const out: string[] = [];
    for (const byte of input) {
      buffer.append(Uint8Array.of(byte));
      out.push(...lines(buffer));
    }
    expect(out).toEqual(["VALUE a b ", "CREDS  "]);
  });

  it("keeps a CR, trailing spaces and invalid UTF-8 as they came", () => {
    const buffer = new LineBuffer();
    buffer.append(bytes("TRANSFER RETRIEVE K dir/\xff\xfe name  \r\n"));
    expect(buffer.tryReadLine()).toEqual(bytes("TRANSFER RETRIEVE K dir/", [0xff, 0xfe], " name  \r"));
  });

  it("keeps a UTF-8 character split between two chunks intact", () => {
    const buffer = new LineBuffer();
    const snowman = Buffer.from("☃", "utf8");
    buffer.append(bytes("VALUE ", [snowman[0]!]));
    buffer.append(bytes([snowman[1]!, snowman[2]!], "\n"));
    expect(Buffer.from(buffer.tryReadLine()!).toString("utf8")).toBe("VALUE ☃");
  });

  it("reports the bytes of an unterminated last line as partial", () => {
    const buffer = new LineBuffer();
    buffer.append(bytes("PREPARE\nGETCOST\nTRANSFER STORE K fi"));
    expect(buffer.partial).toEqual(bytes("TRANSFER STORE K fi"));
    expect(lines(buffer)).toEqual(["PREPARE", "GETCOST"]);
    expect(buffer.partial).toEqual(bytes("TRANSFER STORE K fi"));
  });
});

describe("splitKeyword and splitFields", () => {
  it("splits the keyword at the first space and keeps the rest verbatim", () => {
    const { keyword, rest } = splitKeyword(bytes("TRANSFER STORE K  two  spaces "));
    expect(keyword).toEqual(bytes("TRANSFER"));
    expect(rest).toEqual(bytes("STORE K  two  spaces "));
  });

  it("tells a keyword without parameters from one with an empty parameter", () => {
    expect(splitKeyword(bytes("VALUE")).rest).toBeUndefined();
    expect(splitKeyword(bytes("VALUE ")).rest).toEqual(bytes(""));
  });

  it("makes the last field the rest of the line, spaces included", () => {
    expect(splitFields(bytes("STORE K a  b "), 3)).toEqual([bytes("STORE"), bytes("K"), bytes("a  b ")]);
  });

  it("allows empty fields when their separating space is present", () => {
    expect(splitFields(bytes(" password"), 2)).toEqual([bytes(""), bytes("password")]);
    expect(splitFields(bytes(" "), 2)).toEqual([bytes(""), bytes("")]);
  });

  it("returns undefined when a separator is missing", () => {
    expect(splitFields(bytes("STORE K"), 3)).toBeUndefined();
  });
});

describe("encodeLine", () => {
  it("joins fields with single spaces and ends with exactly one 0x0A", () => {
    expect(encodeLine([bytes("TRANSFER-SUCCESS"), bytes("STORE"), bytes("K")])).toEqual(
      bytes("TRANSFER-SUCCESS STORE K\n"),
    );
  });

  it("keeps an empty last field as a trailing space", () => {
    expect(encodeLine([bytes("CREDS"), bytes(""), bytes("")])).toEqual(bytes("CREDS  \n"));
  });

  it("writes the bytes of a key that is not valid UTF-8 unchanged", () => {
    expect(encodeLine([bytes("REMOVE-SUCCESS"), bytes("K", [0xc3, 0x28])])).toEqual(
      bytes("REMOVE-SUCCESS K", [0xc3, 0x28], "\n"),
    );
  });
});
