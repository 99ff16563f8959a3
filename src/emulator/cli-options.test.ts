// glacier-emulator's options -> EmulatorOptions.
import { describe, expect, it } from "vitest";
import { parseEmulatorArgs, parseJobDelays, parseRestoreDelays } from "./cli-options.ts";

describe("glacier-emulator options", () => {
  it("reads the documented options into EmulatorOptions with the defaults filled in", () => {
    const options = parseEmulatorArgs(
      [
        "--data",
        "/d",
        "--port",
        "8080",
        "--job-delay",
        "Expedited=60,Bulk=3600",
        "--inventory-lag",
        "live",
        "--nulls",
        "omit",
        "--faults",
        "throttle,nth=2",
        "--seed",
        "9",
      ],
      {},
    );
    expect(options).toEqual({
      dataDir: "/d",
      port: 8080,
      host: "127.0.0.1",
      region: "us-east-1",
      accountId: "123456789012",
      auth: "any-key",
      nulls: "omit",
      inventoryLag: "live",
      seed: 9,
      newAccount: false,
      jobDelays: { Expedited: 60, Bulk: 3600 },
      faults: "throttle,nth=2",
      inventoryInterval: 86_400,
      jobExpirySeconds: 86_400,
      uploadIdleSeconds: 86_400,
      expeditedRequiresCapacity: false,
    });
  });

  it("knows the realistic job-delay preset: 3 minutes, 4 hours, 8 hours", () => {
    expect(parseJobDelays("realistic")).toEqual({ Expedited: 180, Standard: 14_400, Bulk: 28_800 });
  });

  it("sets S3 restore delays per class and tier, keeping the realistic delay of the tiers not given", () => {
    expect(
      parseEmulatorArgs(["--data", "/d", "--restore-delay", "DEEP_ARCHIVE.Standard=7200,Bulk=60"], {}).restoreDelays,
    ).toEqual({
      GLACIER: { Expedited: 300, Standard: 18_000, Bulk: 60 },
      DEEP_ARCHIVE: { Standard: 7200, Bulk: 60 },
    });
    expect(parseRestoreDelays("Expedited=1")).toEqual({
      GLACIER: { Expedited: 1, Standard: 18_000, Bulk: 43_200 },
      DEEP_ARCHIVE: { Standard: 43_200, Bulk: 172_800 },
    });
    expect(parseRestoreDelays("0")).toEqual({
      GLACIER: { Expedited: 0, Standard: 0, Bulk: 0 },
      DEEP_ARCHIVE: { Standard: 0, Bulk: 0 },
    });
  });

  it("refuses a restore delay it cannot read, and Expedited for DEEP_ARCHIVE, with one usage line", () => {
    expect(() => parseRestoreDelays("STANDARD=60")).toThrow(
      '--restore-delay: "STANDARD=60" is not [CLASS.]TIER=SECONDS ' +
        "with CLASS GLACIER or DEEP_ARCHIVE and TIER one of Expedited, Standard, Bulk",
    );
    expect(() => parseRestoreDelays("DEEP_ARCHIVE.Expedited=60")).toThrow(
      "--restore-delay: DEEP_ARCHIVE has no Expedited tier",
    );
    expect(() => parseRestoreDelays("Bulk=soon")).toThrow('--restore-delay: "soon" is not a number of seconds');
  });

  it("takes the number of S3 hashing threads, 0 meaning the main thread", () => {
    expect(parseEmulatorArgs(["--data", "/d", "--hash-threads", "0"], {}).hashThreads).toBe(0);
    expect(parseEmulatorArgs(["--data", "/d", "--hash-threads", "3"], {}).hashThreads).toBe(3);
    expect(parseEmulatorArgs(["--data", "/d"], {}).hashThreads).toBeUndefined();
    expect(() => parseEmulatorArgs(["--data", "/d", "--hash-threads", "two"], {})).toThrow(
      '--hash-threads: "two" is not a whole number',
    );
  });

  it("takes strict-mode keys from the environment and refuses strict without them", () => {
    const env = { GLACIER_EMULATOR_ACCESS_KEY_ID: "AKID", GLACIER_EMULATOR_SECRET_ACCESS_KEY: "secret" };
    expect(parseEmulatorArgs(["--data", "/d", "--auth", "strict"], env).credentials).toEqual({
      accessKeyId: "AKID",
      secretAccessKey: "secret",
    });
    expect(() => parseEmulatorArgs(["--data", "/d", "--auth", "strict"], {})).toThrow(
      "--auth strict needs GLACIER_EMULATOR_ACCESS_KEY_ID",
    );
  });

  it("refuses bad values with one-line usage errors", () => {
    expect(() => parseEmulatorArgs(["--port", "1"], {})).toThrow("required option '--data <dir>' not specified");
    expect(() => parseEmulatorArgs(["--data", "/d", "--job-delay", "Glacial=5"], {})).toThrow(
      '--job-delay: "Glacial=5" is not TIER=SECONDS',
    );
    expect(() => parseEmulatorArgs(["--data", "/d", "--faults", "meteor"], {})).toThrow(
      '--faults: unknown fault kind "meteor"',
    );
    expect(() => parseEmulatorArgs(["--data", "/d", "--port", "70000"], {})).toThrow(
      '--port: "70000" is not a port number',
    );
    expect(() => parseEmulatorArgs(["--data", "/d", "--inventory-lag", "soon"], {})).toThrow(
      '--inventory-lag: "soon" is not a number of seconds',
    );
  });
});
