// Issue 7 item 10: garbage lines, unknown requests, missing parameters, EOF in the middle of a
// request, git-annex refusing a query, a remote that fails or has a bug: the protocol-correct reply,
// no crash, no hang, and the session serves the next request.
import { describe, expect, it } from "vitest";
import { memoryRemote } from "./memory-remote.ts";
import { OPENING, PREPARED, runTranscript as run } from "./session-peer.ts";

describe("bad input from git-annex", () => {
  it("answers garbage lines with ERROR and keeps serving", async () => {
    await run(memoryRemote(), String.raw`${OPENING}
> \x20
< ERROR unable to parse request
>
< ERROR unable to parse request
> transfer store K f
< ERROR unable to parse request
> \xff\xfe\x00
< ERROR unable to parse request
> GETCOST
< COST 1000`);
  });

  it("answers unknown requests and the export family with UNSUPPORTED-REQUEST, and EXPORT with nothing", async () => {
    await run(memoryRemote(), String.raw`${PREPARED}
> FROBNICATE K
< UNSUPPORTED-REQUEST
> EXPORT dir/a file
> TRANSFEREXPORT STORE K f
< UNSUPPORTED-REQUEST
> J 1 PREPARE
< UNSUPPORTED-REQUEST
> GETCOST
< COST 1000`);
  });

  it("answers a known request with missing or invalid parameters with ERROR naming the problem", async () => {
    await run(memoryRemote(), String.raw`${OPENING}
> TRANSFER STORE K
< ERROR TRANSFER: missing parameters (expects 3)
> CHECKPRESENT
< ERROR CHECKPRESENT: missing parameters (expects 1)
> TRANSFER MOVE K f
< ERROR TRANSFER: unknown direction "MOVE"
> PREPARE now
< ERROR PREPARE: takes no parameters
> PREPARE
< GETCONFIG vault
> VALUE v1
< PREPARE-SUCCESS`);
  });

  it("carries on after git-annex sends ERROR outside a query, reporting it on stderr", async () => {
    const result = await run(memoryRemote(), String.raw`< VERSION 1
> ERROR unsupported VERSION
> EXTENSIONS INFO
< EXTENSIONS INFO
@stderr git-annex reported an error: ERROR unsupported VERSION`);
    expect(result.exitCode).toBe(0);
  });

  it("fails the request whose query got a line that is not its reply, and keeps serving", async () => {
    await run(memoryRemote(), String.raw`${OPENING}
> PREPARE
< GETCONFIG vault
> CHECKPRESENT K
< PREPARE-FAILURE git-annex answered GETCONFIG with CHECKPRESENT
> GETCOST
< COST 1000`);
  });
});

describe("end of input", () => {
  it("ends the session without a reply when input ends while a query waits for its answer", async () => {
    const remote = memoryRemote();
    const result = await run(remote, String.raw`${PREPARED}
> TRANSFER STORE K1 f
< PROGRESS 0
< PROGRESS 1
< SETSTATE K1 archive-1
< TRANSFER-SUCCESS STORE K1
> CHECKPRESENT K2
< GETSTATE K2
@eof`);
    expect(result.exitCode).toBe(0);
  });

  it("never acts on a request cut short by the end of input", async () => {
    const remote = memoryRemote();
    await run(remote, String.raw`${PREPARED}
@write TRANSFER STORE K1 .git/annex/objects/fi
@eof`);
    expect(remote.objects.size).toBe(0);
  });
});

describe("failures inside the remote", () => {
  it("reports a programming error as the request's failure, logs it, and serves the next request", async () => {
    await run(memoryRemote(), String.raw`${PREPARED}
> TRANSFER STORE K-BUG f
< TRANSFER-FAILURE STORE K-BUG internal error: cannot read properties of undefined
> GETCOST
< COST 1000
@stderr TRANSFER: internal error: cannot read properties of undefined`);
  });

  it("answers ERROR when a reply cannot be written, instead of a corrupt line", async () => {
    const remote = memoryRemote({ listConfigs: async () => [{ name: "my vault", description: "spaces are not allowed" }] });
    await run(remote, String.raw`${OPENING}
> LISTCONFIGS
< ERROR CONFIG: a field contains a byte the protocol cannot carry there
> GETCOST
< COST 1000`);
  });

  it("fails a request whose SETSTATE value has a newline rather than splitting the line", async () => {
    const remote = memoryRemote({ store: async (context, key) => context.setState(key, "archive\nid") });
    await run(remote, String.raw`${PREPARED}
> TRANSFER STORE K1 f
< TRANSFER-FAILURE STORE K1 SETSTATE: a field contains a byte the protocol cannot carry there`);
  });
});
