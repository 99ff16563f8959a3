// Several emulators on one data DIR at once (git-annex runs several remote processes, each CLI run
// starts its own in-process emulator): no update is lost, and all agree on the clock.
import { CreateVaultCommand, GlacierClient, UploadArchiveCommand } from "@aws-sdk/client-glacier";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { TEST_CREDENTIALS, bytes } from "./helpers.ts";

describe("emulators sharing one data DIR", () => {
  it("keeps every archive uploaded concurrently through two emulators and shares clock advances", async () => {
    const dataDir = await tempDir();
    const emulators = await Promise.all([startEmulator({ dataDir }), startEmulator({ dataDir })]);
    const clients = emulators.map(
      (e) => new GlacierClient({ region: "us-east-1", endpoint: e.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 }),
    );
    try {
      await clients[0]!.send(new CreateVaultCommand({ accountId: "-", vaultName: "v" }));
      const uploads = clients.flatMap((client, k) =>
        Array.from({ length: 12 }, (_, i) =>
          client.send(
            new UploadArchiveCommand({
              accountId: "-",
              vaultName: "v",
              body: bytes(1000 + i, k + 1),
              archiveDescription: `c${k}-${i}`,
            }),
          ),
        ),
      );
      const ids = (await Promise.all(uploads)).map((u) => u.archiveId);
      const state = await emulators[1].control.dumpState();
      expect(Object.keys(state.vaults["v"]!.archives).sort()).toEqual([...ids].sort());
      const before = await emulators[1].control.now();
      await emulators[0].control.advanceClock(3600);
      expect((await emulators[1].control.now()) - before).toBeGreaterThanOrEqual(3_600_000);
    } finally {
      for (const c of clients) c.destroy();
      await Promise.all(emulators.map((e) => e.close()));
    }
  });
});
