// Garbage lines, unknown requests, missing parameters, EOF in the middle of a
// request, git-annex refusing a query, a remote that fails or has a bug: the protocol-correct reply,
// no crash, no hang, and the session serves the next request.
import { describe, expect, it } from "vitest";
import { memoryRemote } from "./memory-remote.ts";
import { OPENING, PREPARED, runTranscript as run } from "./session-peer.ts";

describe("bad input from git-annex", () => {
  // "ERROR ErrorMsg ... The program should exit after sending this, as git-annex will not talk to it
  // any further" (https://git-annex.branchable.com/design/external_special_remote_protocol/).
  it.each([String.raw`\x20`, "", "transfer store K f", String.raw`\xff\xfe\x00`])(
    "answers the line %j, which is not a request, with ERROR and ends the session with exit 1",
    async (line) => {
      await run(
        memoryRemote(),
        String.raw`${OPENING}
> ${line}
< ERROR unable to parse request
@exit 1`,
      );
    },
  );

  it("answers unknown requests and the export family with UNSUPPORTED-REQUEST, and EXPORT with nothing", async () => {
    await run(
      memoryRemote(),
      String.raw`${PREPARED}
> FROBNICATE K
< UNSUPPORTED-REQUEST
> EXPORT dir/a file
> TRANSFEREXPORT STORE K f
< UNSUPPORTED-REQUEST
> J 1 PREPARE
< UNSUPPORTED-REQUEST
> GETCOST
< COST 1000`,
    );
  });

  it.each([
    ["TRANSFER STORE K", "TRANSFER: missing parameters (expects 3)"],
    ["CHECKPRESENT", "CHECKPRESENT: missing parameters (expects 1)"],
    ["TRANSFER MOVE K f", 'TRANSFER: unknown direction "MOVE"'],
    ["PREPARE now", "PREPARE: takes no parameters"],
    ["REMOVE K extra", "REMOVE: too many parameters (expects 1): a key contains no spaces"],
    ["WHEREIS a b c", "WHEREIS: too many parameters (expects 1): a key contains no spaces"],
  ])("answers %j with ERROR naming the problem, acts on no key, and exits 1", async (line, message) => {
    const remote = memoryRemote();
    await run(
      remote,
      String.raw`${PREPARED}
> ${line}
< ERROR ${message}
@exit 1
@stderr protocol error: `,
    );
  });

  it("still answers a key request whose File has spaces (the File is the rest of the line)", async () => {
    const remote = memoryRemote();
    await run(
      remote,
      String.raw`${PREPARED}
> TRANSFER STORE K1 a file with spaces
< PROGRESS 0
~ ^PROGRESS \d+$
< SETSTATE K1 archive-1
< TRANSFER-SUCCESS STORE K1`,
    );
  });

  it("carries on after git-annex sends ERROR outside a query, reporting it on stderr", async () => {
    const result = await run(
      memoryRemote(),
      String.raw`< VERSION 1
> ERROR unsupported VERSION
> EXTENSIONS INFO
< EXTENSIONS INFO
@stderr git-annex reported an error: ERROR unsupported VERSION`,
    );
    expect(result.exitCode).toBe(0);
  });

  it("fails the request whose query got a line that is not its reply, and keeps serving", async () => {
    await run(
      memoryRemote(),
      String.raw`${OPENING}
> PREPARE
< GETCONFIG vault
> CHECKPRESENT K
< PREPARE-FAILURE git-annex answered GETCONFIG with CHECKPRESENT
> GETCOST
< COST 1000`,
    );
  });
});

describe("end of input", () => {
  it("ends the session without a reply when input ends while a query waits for its answer", async () => {
    const remote = memoryRemote();
    const result = await run(
      remote,
      String.raw`${PREPARED}
> TRANSFER STORE K1 f
< PROGRESS 0
< PROGRESS 1
< SETSTATE K1 archive-1
< TRANSFER-SUCCESS STORE K1
> CHECKPRESENT K2
< GETSTATE K2
@eof`,
    );
    expect(result.exitCode).toBe(0);
  });

  it("never acts on a request cut short by the end of input", async () => {
    const remote = memoryRemote();
    await run(
      remote,
      String.raw`${PREPARED}
@write TRANSFER STORE K1 .git/annex/objects/fi
@eof`,
    );
    expect(remote.objects.size).toBe(0);
  });
});

describe("failures inside the remote", () => {
  it("reports a programming error as the request's failure, logs it, and serves the next request", async () => {
    await run(
      memoryRemote(),
      String.raw`${PREPARED}
> TRANSFER STORE K-BUG f
< TRANSFER-FAILURE STORE K-BUG internal error: cannot read properties of undefined
> GETCOST
< COST 1000
@stderr TRANSFER: internal error: cannot read properties of undefined`,
    );
  });

  it("answers ERROR when a reply cannot be written, instead of a corrupt line", async () => {
    const remote = memoryRemote({
      listConfigs: () => Promise.resolve([{ name: "my vault", description: "spaces are not allowed" }]),
    });
    await run(
      remote,
      String.raw`${OPENING}
> LISTCONFIGS
< ERROR CONFIG: a field contains a byte the protocol cannot carry there
> GETCOST
< COST 1000`,
    );
  });

  it("fails a request whose SETSTATE value has a newline rather than splitting the line", async () => {
    const remote = memoryRemote({ store: async (context, key) => context.setState(key, "archive\nid") });
    await run(
      remote,
      String.raw`${PREPARED}
> TRANSFER STORE K1 f
< TRANSFER-FAILURE STORE K1 SETSTATE: a field contains a byte the protocol cannot carry there`,
    );
  });
});
