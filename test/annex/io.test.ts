// serveRemote over real Node streams: chunks arrive in arbitrary pieces, stdout gets protocol lines
// only, stderr gets what the user should read, and the end of stdin ends the session.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { serveRemote } from "../../src/annex/io.ts";
import { memoryRemote } from "./memory-remote.ts";

function streams() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const collect = (stream: PassThrough) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    return () => Buffer.concat(chunks).toString("latin1");
  };
  return { stdin, stdout, stderr, out: collect(stdout), err: collect(stderr) };
}

describe("serveRemote", () => {
  it("answers requests split across chunks at any byte and resolves when stdin ends", async () => {
    const io = streams();
    const remote = memoryRemote();
    const served = serveRemote(remote, io, { program: "git-annex-remote-glacier" });
    const input = "EXTENSIONS INFO ASYNC\nPREPARE\nVALUE v1\nTRANSFER STORE K1 a \xff b \nVALUE unused\n";
    // Feed 3 bytes at a time, yielding between chunks so the session reads as the input trickles in.
    for (let i = 0; i < input.length; i += 3) {
      io.stdin.write(Buffer.from(input.slice(i, i + 3), "latin1"));
      await new Promise((resolve) => setImmediate(resolve));
    }
    io.stdin.end();
    await served;
    expect(io.out()).toBe(
      "VERSION 1\nEXTENSIONS INFO\nGETCONFIG vault\nPREPARE-SUCCESS\nPROGRESS 0\nPROGRESS 6\nSETSTATE K1 " +
        "archive-1\nTRANSFER-SUCCESS STORE K1\nUNSUPPORTED-REQUEST\n",
    );
    expect(Buffer.from(remote.objects.get("K1")!).toString("latin1")).toBe("a \xff b ");
    expect(io.err()).toBe("");
  });

  it("ignores an unterminated last line and says so on stderr", async () => {
    const io = streams();
    const remote = memoryRemote();
    const served = serveRemote(remote, io, { program: "git-annex-remote-glacier" });
    io.stdin.end(Buffer.from("PREPARE\nVALUE v1\nTRANSFER STORE K1 fi"));
    await served;
    expect(io.out()).toBe("VERSION 1\nGETCONFIG vault\nPREPARE-SUCCESS\n");
    expect(io.err()).toBe("git-annex-remote-glacier: input ended in the middle of a line; ignored 20 bytes\n");
    expect(remote.objects.size).toBe(0);
  });

  it("ends without a reply when stdin ends while a query waits for git-annex", async () => {
    const io = streams();
    const served = serveRemote(memoryRemote(), io, { program: "git-annex-remote-glacier" });
    io.stdin.end(Buffer.from("PREPARE\n"));
    await served;
    expect(io.out()).toBe("VERSION 1\nGETCONFIG vault\n");
  });
});
