// The RemoteContext: every query to git-annex writes its exact line and reads its reply from the
// same stream (docs/annex-protocol.md#messages), with values kept as bytes where git-annex sends paths.
import { describe, expect, it } from "vitest";
import { memoryRemote } from "./memory-remote.ts";
import { OPENING, runTranscript as run } from "./session-peer.ts";

const key = new Uint8Array(Buffer.from("SHA256E-s3--k.txt"));
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

describe("queries from the remote to git-annex", () => {
  it("writes each query and hands back its reply, bytes intact", async () => {
    const seen: unknown[] = [];
    const remote = memoryRemote({
      async prepare(context) {
        seen.push(text(await context.dirHash(key)), text(await context.dirHashLower(key)));
        seen.push(text(await context.getGitDir()), await context.getGitRemoteName(), await context.getUuid());
        seen.push(await context.getWanted());
        await context.setWanted("include=*.iso and largerthan=1MB");
        await context.setUrlPresent(key, "glacier://v/a 1");
        await context.setUrlMissing(key, "glacier://v/a 1");
        await context.setUriPresent(key, "glacier:v");
        await context.setUriMissing(key, "glacier:v");
        seen.push((await context.getUrls(key, "")).map(text), (await context.getUrls(key, "glacier:")).map(text));
        await context.setConfig("vault", "v 1");
        await context.setCreds("aws", "AKID", "se cret ");
        seen.push(await context.getCreds("aws"), await context.getCreds("aws"), await context.getCreds("aws"));
      },
    });
    await run(
      remote,
      String.raw`${OPENING}
> PREPARE
< DIRHASH SHA256E-s3--k.txt
> VALUE aB/Cd/
< DIRHASH-LOWER SHA256E-s3--k.txt
> VALUE abc/def/
< GETGITDIR
> VALUE ../.git\xff
< GETGITREMOTENAME
> VALUE glacier
< GETUUID
> VALUE 546dbcbd
< GETWANTED
> VALUE\x20
< SETWANTED include=*.iso and largerthan=1MB
< SETURLPRESENT SHA256E-s3--k.txt glacier://v/a 1
< SETURLMISSING SHA256E-s3--k.txt glacier://v/a 1
< SETURIPRESENT SHA256E-s3--k.txt glacier:v
< SETURIMISSING SHA256E-s3--k.txt glacier:v
< GETURLS SHA256E-s3--k.txt\x20
> VALUE\x20
< GETURLS SHA256E-s3--k.txt glacier:
> VALUE glacier:v
> VALUE glacier://v/a 1
> VALUE\x20
< SETCONFIG vault v 1
< SETCREDS aws AKID se cret\x20
< GETCREDS aws
> CREDS AKID se cret\x20
< GETCREDS aws
> CREDS\x20\x20
< GETCREDS aws
> CREDS \x20Password
< PREPARE-SUCCESS`,
    );
    expect(seen).toEqual([
      "aB/Cd/",
      "abc/def/",
      "../.git\xff",
      "glacier",
      "546dbcbd",
      "",
      [],
      ["glacier:v", "glacier://v/a 1"],
      { user: "AKID", password: "se cret " },
      { user: "", password: "" },
      { user: "", password: "Password" },
    ]);
  });

  it("splits a multi-line DEBUG message into DEBUG lines and sends INFO when git-annex offered it", async () => {
    const remote = memoryRemote({
      async prepare(context) {
        await context.debug("first line\nsecond line");
        await context.info("restoring from Glacier");
      },
    });
    await run(
      remote,
      String.raw`${OPENING}
> PREPARE
< DEBUG first line
< DEBUG second line
< INFO restoring from Glacier
< PREPARE-SUCCESS`,
    );
  });

  it(
    "writes INFO to stderr instead when git-annex did not offer it, and refuses GETGITREMOTENAME without " +
      "sending it",
    async () => {
      const remote = memoryRemote({
        async prepare(context) {
          await context.info("restoring from Glacier");
          await context.getGitRemoteName();
        },
      });
      await run(
        remote,
        String.raw`< VERSION 1
> EXTENSIONS ASYNC
< EXTENSIONS\x20
> PREPARE
< PREPARE-FAILURE GETGITREMOTENAME needs the extension, which git-annex did not offer
@stderr ^restoring from Glacier$`,
      );
    },
  );

  it("reports GETSTATE refused by git-annex as a failure of the request, then carries on", async () => {
    const remote = memoryRemote();
    await run(
      remote,
      String.raw`${OPENING}
> PREPARE
< GETCONFIG vault
> VALUE v1
< PREPARE-SUCCESS
> CHECKPRESENT K1
< GETSTATE K1
> ERROR cannot send GETSTATE here
< CHECKPRESENT-UNKNOWN K1 git-annex refused GETSTATE: cannot send GETSTATE here
> REMOVE K1
< REMOVE-SUCCESS K1`,
    );
  });

  it("runs queries made at the same time one after another, so each gets its own reply", async () => {
    let values: string[] = [];
    const remote = memoryRemote({
      async prepare(context) {
        values = await Promise.all([context.getConfig("vault"), context.getConfig("tier"), context.getUuid()]);
      },
    });
    await run(
      remote,
      String.raw`${OPENING}
> PREPARE
< GETCONFIG vault
> VALUE v1
< GETCONFIG tier
> VALUE Bulk
< GETUUID
> VALUE u1
< PREPARE-SUCCESS`,
    );
    expect(values).toEqual(["v1", "Bulk", "u1"]);
  });

  it("refuses a query made after its request was answered, so no stray line reaches git-annex", async () => {
    let late: Promise<void> | undefined;
    const remote = memoryRemote({
      prepare(context) {
        late = new Promise((resolve) => setTimeout(resolve, 10)).then(() => context.progress(5));
        return Promise.resolve();
      },
    });
    await run(
      remote,
      String.raw`${OPENING}
> PREPARE
< PREPARE-SUCCESS
> GETCOST
< COST 1000`,
    );
    await expect(late).rejects.toThrow("progress() called after its request was answered");
  });
});
