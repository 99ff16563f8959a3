// The transcript replayer (test/helpers/transcript.ts) on real processes: a tiny node program that
// greets, echoes each line it reads, and exits 0 at end of input.
import { describe, expect, it } from "vitest";
import { parseTranscript, replay, spawnPeer } from "../helpers/transcript.ts";

// Byte-exact echo: "HELLO" first, then "ECHO <line>" for each line; "QUIET" gets no answer, "STDERR x"
// writes x to stderr, "EXIT n" exits with n. Partial input at the end exits 3.
const ECHO = String.raw`
let buffer = Buffer.alloc(0);
process.stdout.write("HELLO\n");
process.stdin.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (let i = buffer.indexOf(10); i >= 0; i = buffer.indexOf(10)) {
    const line = buffer.subarray(0, i);
    buffer = buffer.subarray(i + 1);
    const text = line.toString("latin1");
    if (text === "QUIET") continue;
    if (text.startsWith("EXIT ")) process.exit(Number(text.slice(5)));
    if (text.startsWith("STDERR ")) process.stderr.write(text.slice(7) + "\n");
    process.stdout.write(Buffer.concat([Buffer.from("ECHO "), line, Buffer.from("\n")]));
  }
});
process.stdin.on("end", () => { process.exitCode = buffer.length > 0 ? 3 : 0; });
`;

const echo = () => spawnPeer(process.execPath, ["-e", ECHO]);
const replayText = (text: string, options = {}) =>
  replay(parseTranscript(text, "echo.transcript"), echo(), { lineTimeoutMs: 3000, ...options });

describe("transcript replayer on a spawned program", () => {
  it("passes when every line matches byte for byte, including invalid UTF-8, spaces and CR", async () => {
    const result = await replayText(String.raw`# a comment
< HELLO
> TRANSFER STORE K a  b\xff\xfe \x0d
< ECHO TRANSFER STORE K a  b\xff\xfe \x0d
> back\\slash ☃
< ECHO back\\slash ☃
> PROGRESS 12345
~ ECHO PROGRESS [0-9]+
> STDERR to the user
< ECHO STDERR to the user
@stderr ^to the user$`);
    expect(result).toEqual({ exitCode: 0, stderr: "to the user\n" });
  });

  it("fails naming the transcript line, the expected and the actual bytes", async () => {
    await expect(replayText("< HELLO\n> a\xff\n< ECHO a\n")).rejects.toThrow(
      /echo\.transcript:3: expected "ECHO a"\n +got "ECHO a\\xc3\\xbf"/,
    );
  });

  it("fails when the program says more than the transcript, or exits with another code", async () => {
    await expect(replayText("< HELLO\n> one\n")).rejects.toThrow(
      /unexpected output after the transcript: "ECHO one\\x0a"/,
    );
    await expect(replayText("< HELLO\n> EXIT 4\n")).rejects.toThrow(/expected exit code 0, got 4/);
    await replayText("< HELLO\n> EXIT 4\n@exit 4");
  });

  it("fails instead of hanging when the program does not answer, and kills the program", async () => {
    const peer = echo();
    const transcript = parseTranscript("< HELLO\n> QUIET\n< ECHO QUIET\n", "echo.transcript");
    // The timeout must outlast the program's start-up on a loaded machine (HELLO comes first), or the
    // test would race it: line 3 is the one that never comes.
    await expect(replay(transcript, peer, { lineTimeoutMs: 5000 })).rejects.toThrow(
      /echo\.transcript:3: no line from the peer within 5000 ms/,
    );
    // Its stdin is still open, so only the kill lets it end: a signal leaves no exit code.
    expect((await peer.finish(2000)).exitCode).toBeNull();
  });

  it("writes bytes without a newline with @write and closes input with @eof", async () => {
    await replayText("< HELLO\n@write cut sh\n@eof\n@exit 3");
  });

  it("hands other directives to the caller's hook, in order, between the lines around them", async () => {
    const seen: string[] = [];
    await replayText("< HELLO\n@clock +5h\n> x\n< ECHO x\n@fault InitiateJob 500\n", {
      onDirective: (d: { name: string; args: string; line: number }) => void seen.push(`${d.line} ${d.name} ${d.args}`),
    });
    expect(seen).toEqual(["2 clock +5h", "5 fault InitiateJob 500"]);
    await expect(replayText("< HELLO\n@clock +5h\n")).rejects.toThrow(
      /echo\.transcript:2: unknown directive @clock and no directive hook/,
    );
  });
});

describe("transcript parser", () => {
  it("rejects unknown line kinds, bad escapes and raw CRs with the line number", () => {
    expect(() => parseTranscript("< A\n! B", "t")).toThrow('t:2: unknown line kind "!"');
    expect(() => parseTranscript("> a\\q", "t")).toThrow("t:1: bad escape at column 4");
    expect(() => parseTranscript("> a\r", "t")).toThrow("t:1: raw CR in a transcript");
  });
});
