// TRANSFER, CHECKPRESENT and REMOVE through the session, byte for byte (docs/annex-protocol.md#requests,
// docs/annex-protocol.md#presence, docs/annex-protocol.md#retrieval-not-ready).
import { describe, expect, it } from "vitest";
import { memoryRemote } from "./memory-remote.ts";
import { PREPARED, runTranscript as run } from "./session-peer.ts";

const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString("latin1");

describe("TRANSFER STORE", () => {
  it("reports PROGRESS, records the archive with SETSTATE, and succeeds with the request's key", async () => {
    const remote = memoryRemote();
    const file = ".git/annex/objects/J7/0G/K/K";
    await run(
      remote,
      String.raw`${PREPARED}
> TRANSFER STORE SHA256E-s12--a948.txt ${file}
< PROGRESS 0
< PROGRESS ${file.length}
< SETSTATE SHA256E-s12--a948.txt archive-1
< TRANSFER-SUCCESS STORE SHA256E-s12--a948.txt`,
    );
    expect(text(remote.objects.get("SHA256E-s12--a948.txt"))).toBe(file);
  });

  it("passes a File with spaces, trailing spaces, a CR and invalid UTF-8 to the remote unchanged", async () => {
    const remote = memoryRemote();
    await run(
      remote,
      String.raw`${PREPARED}
> TRANSFER STORE K1 dir/a  b\xff\xfe name \x0d
< PROGRESS 0
< PROGRESS 17
< SETSTATE K1 archive-1
< TRANSFER-SUCCESS STORE K1`,
    );
    expect(text(remote.objects.get("K1"))).toBe("dir/a  b\xff\xfe name \r");
  });

  it("stores a key that is already present without uploading it again", async () => {
    const remote = memoryRemote();
    await run(
      remote,
      String.raw`${PREPARED}
> TRANSFER STORE K1 first
< PROGRESS 0
< PROGRESS 5
< SETSTATE K1 archive-1
< TRANSFER-SUCCESS STORE K1
> TRANSFER STORE K1 second
< TRANSFER-SUCCESS STORE K1`,
    );
    expect(text(remote.objects.get("K1"))).toBe("first");
  });
});

describe("TRANSFER RETRIEVE", () => {
  const STORED = String.raw`${PREPARED}
> TRANSFER STORE K-PENDING f
< PROGRESS 0
< PROGRESS 1
< SETSTATE K-PENDING archive-1
< TRANSFER-SUCCESS STORE K-PENDING
> TRANSFER STORE K-READY f
< PROGRESS 0
< PROGRESS 1
< SETSTATE K-READY archive-2
< TRANSFER-SUCCESS STORE K-READY`;

  it("retrieves a ready key into the File git-annex names, with PROGRESS", async () => {
    const remote = memoryRemote();
    await run(
      remote,
      String.raw`${STORED}
> TRANSFER RETRIEVE K-READY .git/annex/tmp/K READY
< PROGRESS 10
< TRANSFER-SUCCESS RETRIEVE K-READY`,
    );
    expect(text(remote.retrieved.get("K-READY"))).toBe(".git/annex/tmp/K READY");
  });

  it(
    "answers a pending retrieval with one TRANSFER-FAILURE " + "line and no PROGRESS, and serves the next request",
    async () => {
      const remote = memoryRemote();
      await run(
        remote,
        String.raw`${STORED}
> TRANSFER RETRIEVE K-PENDING .git/annex/tmp/K
< TRANSFER-FAILURE RETRIEVE K-PENDING retrieval job J1 initiated; not available yet
> TRANSFER RETRIEVE K-UNSTORED .git/annex/tmp/K
< TRANSFER-FAILURE RETRIEVE K-UNSTORED not present in this remote`,
      );
      expect(remote.retrieved.size).toBe(0);
    },
  );
});

describe("CHECKPRESENT", () => {
  it(
    "answers SUCCESS for a stored key or one another " + "clone recorded, FAILURE only when nothing is recorded",
    async () => {
      await run(
        memoryRemote(),
        String.raw`${PREPARED}
> TRANSFER STORE K1 f
< PROGRESS 0
< PROGRESS 1
< SETSTATE K1 archive-1
< TRANSFER-SUCCESS STORE K1
> CHECKPRESENT K1
< CHECKPRESENT-SUCCESS K1
> CHECKPRESENT K2
< GETSTATE K2
> VALUE archive-from-clone
< CHECKPRESENT-SUCCESS K2
> CHECKPRESENT K3
< GETSTATE K3
> VALUE
< CHECKPRESENT-FAILURE K3`,
      );
    },
  );

  it("answers UNKNOWN with the reason when the remote cannot tell, and when it throws, on one line", async () => {
    await run(
      memoryRemote(),
      String.raw`${PREPARED}
> CHECKPRESENT K-UNKNOWN
< CHECKPRESENT-UNKNOWN K-UNKNOWN inventory is 3 days old
> CHECKPRESENT K-THROW
< CHECKPRESENT-UNKNOWN K-THROW vault not reachable retry later`,
    );
  });
});

describe("REMOVE", () => {
  it("succeeds for a present key and for an absent one, and reports a failure with its reason", async () => {
    const remote = memoryRemote();
    await run(
      remote,
      String.raw`${PREPARED}
> TRANSFER STORE K1 f
< PROGRESS 0
< PROGRESS 1
< SETSTATE K1 archive-1
< TRANSFER-SUCCESS STORE K1
> REMOVE K1
< REMOVE-SUCCESS K1
> REMOVE K1
< REMOVE-SUCCESS K1
> REMOVE K-LOCKED
< REMOVE-FAILURE K-LOCKED vault locked`,
    );
    expect(remote.objects.size).toBe(0);
  });
});

describe("URL requests", () => {
  it("answers CLAIMURL and CHECKURL with single, multiple and failed results", async () => {
    await run(
      memoryRemote(),
      String.raw`${PREPARED}
> CLAIMURL memory:x
< CLAIMURL-SUCCESS
> CLAIMURL https://example.com/x
< CLAIMURL-FAILURE
> CHECKURL memory:one
< CHECKURL-CONTENTS UNKNOWN file name
> CHECKURL memory:several
< CHECKURL-MULTI memory:a 3 a memory:b UNKNOWN b
> CHECKURL https://example.com/x
< CHECKURL-FAILURE not a memory: url`,
    );
  });
});
