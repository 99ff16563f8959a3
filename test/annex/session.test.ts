// The session state machine driven by byte transcripts (protocol-fixtures/README.md format) against
// an in-memory SpecialRemote. Every line the session writes is compared byte for byte.
import { describe, expect, it } from "vitest";
import { memoryRemote } from "./memory-remote.ts";
import { OPENING, PREPARED, runTranscript as run } from "./session-peer.ts";

describe("session start", () => {
  it("sends VERSION 1 first and answers EXTENSIONS with the offered names it supports, never ASYNC", async () => {
    await run(memoryRemote(), OPENING);
    await run(
      memoryRemote(),
      String.raw`< VERSION 1
> EXTENSIONS INFO ASYNC GETGITREMOTENAME UNAVAILABLERESPONSE TRANSFER-RETRIEVE-URL CHECKPRESENT-URL
< EXTENSIONS INFO GETGITREMOTENAME`,
    );
  });

  it("answers an empty or unfamiliar offer with an empty list", async () => {
    await run(
      memoryRemote(),
      String.raw`< VERSION 1
> EXTENSIONS
< EXTENSIONS\x20
> EXTENSIONS ASYNC FUTURE
< EXTENSIONS\x20`,
    );
  });

  it("serves requests from a git-annex that never sends EXTENSIONS", async () => {
    await run(
      memoryRemote(),
      String.raw`< VERSION 1
> GETCOST
< COST 1000`,
    );
  });

  it("exits cleanly when input ends before any request", async () => {
    const result = await run(memoryRemote(), "< VERSION 1\n@eof");
    expect(result.exitCode).toBe(0);
  });
});

describe("initremote", () => {
  it(
    "lists its settings, then reads and persists config " + "and asks the UUID (the observed initremote sequence)",
    async () => {
      await run(
        memoryRemote(),
        String.raw`${OPENING}
> LISTCONFIGS
< CONFIG vault the Glacier vault name
< CONFIGEND
> INITREMOTE
< GETCONFIG vault
> VALUE my  vault
< SETCONFIG vault my  vault
< GETUUID
> VALUE 546dbcbd-7c2f-4f1e-9d0a-000000000000
< INITREMOTE-SUCCESS`,
      );
    },
  );

  it(
    "fails INITREMOTE with a one-line reason when a setting " + "is missing, given as VALUE or VALUE with a space",
    async () => {
      await run(
        memoryRemote(),
        String.raw`${OPENING}
> INITREMOTE
< GETCONFIG vault
> VALUE
< INITREMOTE-FAILURE missing vault=NAME
> INITREMOTE
< GETCONFIG vault
> VALUE\x20
< INITREMOTE-FAILURE missing vault=NAME`,
      );
    },
  );

  it("treats git-annex answering a query with ERROR as a refused answer, not the end of the session", async () => {
    await run(
      memoryRemote(),
      String.raw`${OPENING}
> INITREMOTE
< GETCONFIG vault
> VALUE v1
< SETCONFIG vault v1
< GETUUID
> ERROR cannot send GETUUID here
< INITREMOTE-SUCCESS
> INITREMOTE
< GETCONFIG vault
> VALUE v1
< SETCONFIG vault v1
< GETUUID
> VALUE u1
< INITREMOTE-SUCCESS`,
    );
  });

  it("reports a refused GETGITREMOTENAME as the request's failure and keeps serving", async () => {
    const remote = memoryRemote({
      async initRemote(context) {
        await context.getGitRemoteName();
      },
    });
    await run(
      remote,
      String.raw`${OPENING}
> INITREMOTE
< GETGITREMOTENAME
> ERROR git remote name not known
< INITREMOTE-FAILURE git-annex refused GETGITREMOTENAME: git remote name not known
> GETCOST
< COST 1000`,
    );
  });
});

describe("prepare and the cheap requests", () => {
  it("answers GETCOST, GETAVAILABILITY, GETINFO and WHEREIS after PREPARE", async () => {
    await run(
      memoryRemote(),
      String.raw`${PREPARED}
> GETCOST
< COST 1000
> GETAVAILABILITY
< AVAILABILITY GLOBAL
> GETINFO
< INFOFIELD vault
< INFOVALUE v1
< INFOEND
> WHEREIS SHA256E-s1--k1
< GETSTATE SHA256E-s1--k1
> VALUE archive-7
< WHEREIS-SUCCESS v1 archive-7
> WHEREIS SHA256E-s1--k2
< GETSTATE SHA256E-s1--k2
> VALUE\x20
< WHEREIS-FAILURE`,
    );
  });

  it("fails PREPARE with a reason, and then fails key requests instead of running unconfigured", async () => {
    await run(
      memoryRemote(),
      String.raw`${OPENING}
> PREPARE
< GETCONFIG vault
> VALUE
< PREPARE-FAILURE remote not initialised (no vault)
> CHECKPRESENT K
< CHECKPRESENT-UNKNOWN K CHECKPRESENT before a successful PREPARE
> TRANSFER STORE K f
< TRANSFER-FAILURE STORE K TRANSFER before a successful PREPARE
> REMOVE K
< REMOVE-FAILURE K REMOVE before a successful PREPARE`,
    );
  });

  it("answers EXPORTSUPPORTED with FAILURE and unimplemented optional requests with UNSUPPORTED-REQUEST", async () => {
    const bare = memoryRemote({
      listConfigs: undefined,
      getCost: undefined,
      getAvailability: undefined,
      getInfo: undefined,
      whereis: undefined,
    });
    await run(
      bare,
      String.raw`${OPENING}
> EXPORTSUPPORTED
< EXPORTSUPPORTED-FAILURE
> LISTCONFIGS
< UNSUPPORTED-REQUEST
> GETORDERED
< UNSUPPORTED-REQUEST
> PREPARE
< GETCONFIG vault
> VALUE v
< PREPARE-SUCCESS
> GETCOST
< UNSUPPORTED-REQUEST
> GETAVAILABILITY
< UNSUPPORTED-REQUEST
> GETINFO
< UNSUPPORTED-REQUEST
> WHEREIS K
< UNSUPPORTED-REQUEST`,
    );
  });
});
