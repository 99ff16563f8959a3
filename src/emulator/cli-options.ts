// argv of the glacier-emulator program -> EmulatorOptions (commander parses, this checks values).
// Usage errors are one line; the entry prints them and exits 2.
import { Command, CommanderError } from "commander";
import { UsageError } from "../core/errors.ts";
import type { Tier } from "../core/types.ts";
import { parseFaults } from "./faults.ts";
import { type EmulatorOptions, REALISTIC_JOB_DELAYS } from "./index.ts";
import { type ArchivedClass, REALISTIC_RESTORE_DELAYS, type RestoreDelays } from "./s3/restore.ts";

const TIERS: readonly Tier[] = ["Expedited", "Standard", "Bulk"];

function seconds(text: string, what: string): number {
  if (!/^\d+(\.\d+)?$/.test(text)) throw new UsageError(`${what}: "${text}" is not a number of seconds`);
  return Number(text);
}

/** "--job-delay Expedited=S,Standard=S,Bulk=S" or "--job-delay realistic" (3 min / 4 h / 8 h). */
export function parseJobDelays(text: string): Partial<Record<Tier, number>> {
  if (text === "realistic") return { ...REALISTIC_JOB_DELAYS };
  const out: Partial<Record<Tier, number>> = {};
  for (const pair of text.split(",")) {
    const [tier, value] = pair.split("=");
    if (!TIERS.includes(tier as Tier) || value === undefined)
      throw new UsageError(`--job-delay: "${pair}" is not TIER=SECONDS with TIER one of ${TIERS.join(", ")}`);
    out[tier as Tier] = seconds(value, "--job-delay");
  }
  return out;
}

const ARCHIVED_CLASSES: readonly ArchivedClass[] = ["GLACIER", "DEEP_ARCHIVE"];

/**
 * "--restore-delay [CLASS.]TIER=SECONDS,..." (CLASS GLACIER or DEEP_ARCHIVE; without one, every class
 * offering the tier) or "realistic" (S3's published upper bounds, the default), or "0" (at once).
 * Tiers not given keep their realistic delay.
 */
export function parseRestoreDelays(text: string): RestoreDelays {
  const delays: RestoreDelays = {
    GLACIER: { ...REALISTIC_RESTORE_DELAYS.GLACIER },
    DEEP_ARCHIVE: { ...REALISTIC_RESTORE_DELAYS.DEEP_ARCHIVE },
  };
  if (text === "realistic") return delays;
  if (text === "0") {
    for (const c of ARCHIVED_CLASSES) for (const tier of Object.keys(delays[c]) as Tier[]) delays[c][tier] = 0;
    return delays;
  }
  for (const pair of text.split(",")) {
    const match = /^(?:(GLACIER|DEEP_ARCHIVE)\.)?(Expedited|Standard|Bulk)=(.*)$/.exec(pair);
    if (!match)
      throw new UsageError(
        `--restore-delay: "${pair}" is not [CLASS.]TIER=SECONDS ` +
          `with CLASS GLACIER or DEEP_ARCHIVE and TIER one of ${TIERS.join(", ")}`,
      );
    const [, only, tier, value] = match as unknown as [string, ArchivedClass | undefined, Tier, string];
    const delay = seconds(value, "--restore-delay");
    if (only === "DEEP_ARCHIVE" && tier === "Expedited")
      throw new UsageError("--restore-delay: DEEP_ARCHIVE has no Expedited tier");
    for (const c of only ? [only] : ARCHIVED_CLASSES)
      if (c !== "DEEP_ARCHIVE" || tier !== "Expedited") delays[c][tier] = delay;
  }
  return delays;
}

/** What one run of glacier-emulator does: serve, or one change or query on DIR's state, then exit. */
export type EmulatorAction =
  | { kind: "serve" }
  | { kind: "advance-clock"; seconds: number }
  | { kind: "generate-inventory"; vault?: string }
  | { kind: "list-jobs" };

const EXAMPLES =
  "\nExamples:\n" +
  "  glacier-emulator --data ~/glacier-data --port 9000\n" +
  "  glacier-emulator --data ~/glacier-data --restore-delay DEEP_ARCHIVE.Standard=43200,Bulk=3600\n" +
  "  glacier-emulator --data ~/glacier-data --list-jobs\n" +
  "  glacier-emulator --data ~/glacier-data --advance-clock 14400\n" +
  "  glacier-emulator --data ~/glacier-data --generate-inventory photos\n" +
  "The same over HTTP while serving: the control API under /_emulator/ (src/emulator/README.md).";

function emulatorProgram(): Command {
  return new Command("glacier-emulator")
    .description(
      "A local Amazon Glacier vault service (REST API 2012-06-01) over a data folder. " +
        "Without an action option it serves the API until SIGINT or SIGTERM and prints its URL on stdout. " +
        "The action options change or read DIR's state without a server and exit; they are safe beside a " +
        "server running on the same DIR (the state is locked), which sees the change at its next request.",
    )
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
    .helpOption("-h, --help", "print this help and exit")
    .requiredOption("--data <dir>", "data directory (state and archive bytes; kept across restarts)")
    .option("--port <n>", "TCP port (0 picks a free one)", "0")
    .option("--host <addr>", "address to bind", "127.0.0.1")
    .option(
      "--region <r>",
      "region of requests whose signing scope names no AWS region (and of all requests with --auth off)",
      "us-east-1",
    )
    .option("--account-id <id>", "12-digit account ID that '-' in request paths stands for", "123456789012")
    .option(
      "--job-delay <spec>",
      "seconds from job start to completion: Expedited=S,Standard=S,Bulk=S, or 'realistic' (3 min, 4 h, 8 " +
        "h); default 0",
    )
    .option(
      "--inventory-lag <s>",
      "seconds after a vault change before its next inventory is taken, or 'live' (every request)",
      "86400",
    )
    .option("--inventory-interval <s>", "minimum seconds between two inventories of a vault", "86400")
    .option("--job-expiry <s>", "seconds a completed job's output stays downloadable", "86400")
    .option("--upload-idle <s>", "seconds after which an idle multipart upload is reclaimed", "86400")
    .option(
      "--restore-delay <spec>",
      "S3 restores: seconds to completion, [CLASS.]TIER=S,... (e.g. DEEP_ARCHIVE.Bulk=172800), 'realistic' " +
        "(the default: GLACIER 5 min, 5 h, 12 h; DEEP_ARCHIVE 12 h, 48 h) or 0",
    )
    .option("--expedited-needs-capacity", "refuse Expedited retrievals without a provisioned capacity unit")
    .option(
      "--auth <mode>",
      "off | any-key | strict (strict: keys from GLACIER_EMULATOR_ACCESS_KEY_ID and " +
        "GLACIER_EMULATOR_SECRET_ACCESS_KEY)",
      "any-key",
    )
    .option("--faults <spec>", "fault rules, e.g. 'throttle,op=UploadMultipartPart,nth=2' (src/emulator/README.md)")
    .option("--seed <n>", "seed of the fault generator", "1")
    .option("--nulls <mode>", "emit | omit null job fields", "emit")
    .option(
      "--hash-threads <n>",
      "worker threads computing the MD5 and checksums of S3 bodies of 1 MiB or more (0: on the main thread); " +
        "default one per core, at most 4",
    )
    .option("--new-account", "answer every call with NoLongerSupportedException, as AWS does for new accounts")
    .option(
      "--advance-clock <s>",
      "action: move DIR's virtual clock forward by S seconds (pending jobs complete, inventories fall due)",
    )
    .option("--generate-inventory [vault]", "action: take an inventory of VAULT (or of every vault) now")
    .option(
      "--list-jobs",
      "action: list the jobs still in progress: vault, job ID, action, completion time and seconds left",
    );
}

export function parseEmulatorArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): EmulatorOptions {
  return parseEmulatorCommand(argv, env).options;
}

export function parseEmulatorCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { options: EmulatorOptions; action: EmulatorAction } {
  const program = emulatorProgram();
  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") throw error;
      throw new UsageError(error.message.replace(/^error: /, ""));
    }
    throw error;
  }
  const o = program.opts<Record<string, string | boolean | undefined>>();
  const auth = o["auth"] as string;
  if (auth !== "off" && auth !== "any-key" && auth !== "strict")
    throw new UsageError(`--auth: "${auth}" is not off, any-key or strict`);
  const nulls = o["nulls"] as string;
  if (nulls !== "emit" && nulls !== "omit") throw new UsageError(`--nulls: "${nulls}" is not emit or omit`);
  const port = Number(o["port"]);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: "${String(o["port"])}" is not a port number`);
  if (!/^\d{12}$/.test(o["accountId"] as string)) throw new UsageError("--account-id must be 12 digits");
  const lag = o["inventoryLag"] as string;
  const faults = o["faults"] as string | undefined;
  if (faults !== undefined) {
    try {
      parseFaults(faults);
    } catch (error) {
      throw new UsageError(`--faults: ${(error as Error).message}`);
    }
  }
  const hashThreads = o["hashThreads"] as string | undefined;
  if (hashThreads !== undefined && !/^\d+$/.test(hashThreads))
    throw new UsageError(`--hash-threads: "${hashThreads}" is not a whole number`);
  const options: EmulatorOptions = {
    dataDir: o["data"] as string,
    port,
    host: o["host"] as string,
    region: o["region"] as string,
    accountId: o["accountId"] as string,
    auth,
    nulls,
    inventoryLag: lag === "live" ? "live" : seconds(lag, "--inventory-lag"),
    seed: Number(o["seed"]),
    newAccount: o["newAccount"] === true,
    inventoryInterval: seconds(o["inventoryInterval"] as string, "--inventory-interval"),
    jobExpirySeconds: seconds(o["jobExpiry"] as string, "--job-expiry"),
    uploadIdleSeconds: seconds(o["uploadIdle"] as string, "--upload-idle"),
    expeditedRequiresCapacity: o["expeditedNeedsCapacity"] === true,
    ...(o["jobDelay"] !== undefined ? { jobDelays: parseJobDelays(o["jobDelay"] as string) } : {}),
    ...(o["restoreDelay"] !== undefined ? { restoreDelays: parseRestoreDelays(o["restoreDelay"] as string) } : {}),
    ...(faults !== undefined ? { faults } : {}),
    ...(hashThreads !== undefined ? { hashThreads: Number(hashThreads) } : {}),
  };
  const action = actionOf(o);
  if (auth === "strict") {
    // Keys come from the environment, never from argv (argv is visible to every user of the machine).
    const accessKeyId = env["GLACIER_EMULATOR_ACCESS_KEY_ID"];
    const secretAccessKey = env["GLACIER_EMULATOR_SECRET_ACCESS_KEY"];
    if (!accessKeyId || !secretAccessKey)
      throw new UsageError(
        "--auth strict needs GLACIER_EMULATOR_ACCESS_KEY_ID and GLACIER_EMULATOR_SECRET_ACCESS_KEY in the environment",
      );
    options.credentials = { accessKeyId, secretAccessKey };
  }
  return { options, action };
}

function actionOf(o: Record<string, string | boolean | undefined>): EmulatorAction {
  const actions: EmulatorAction[] = [];
  if (o["advanceClock"] !== undefined)
    actions.push({ kind: "advance-clock", seconds: seconds(o["advanceClock"] as string, "--advance-clock") });
  const inventory = o["generateInventory"];
  if (inventory !== undefined)
    actions.push(
      inventory === true ? { kind: "generate-inventory" } : { kind: "generate-inventory", vault: inventory as string },
    );
  if (o["listJobs"] === true) actions.push({ kind: "list-jobs" });
  if (actions.length > 1)
    throw new UsageError("--advance-clock, --generate-inventory and --list-jobs: give one at a time");
  return actions[0] ?? { kind: "serve" };
}

export function emulatorHelp(): string {
  return `${emulatorProgram().helpInformation().trimEnd()}\n${EXAMPLES}`;
}
