// argv of the glacier-emulator program -> EmulatorOptions (commander parses, this checks values).
// Usage errors are one line; the entry prints them and exits 2.
import { Command, CommanderError } from "commander";
import { UsageError } from "../core/errors.ts";
import type { Tier } from "../core/types.ts";
import { parseFaults } from "./faults.ts";
import { type EmulatorOptions, REALISTIC_JOB_DELAYS } from "./index.ts";

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
    if (!TIERS.includes(tier as Tier) || value === undefined) throw new UsageError(`--job-delay: "${pair}" is not TIER=SECONDS with TIER one of ${TIERS.join(", ")}`);
    out[tier as Tier] = seconds(value, "--job-delay");
  }
  return out;
}

export function parseEmulatorArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): EmulatorOptions {
  const program = new Command("glacier-emulator")
    .description("A local Amazon Glacier vault service (REST API 2012-06-01)")
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
    .requiredOption("--data <dir>", "data directory (state and archive bytes; kept across restarts)")
    .option("--port <n>", "TCP port (0 picks a free one)", "0")
    .option("--host <addr>", "address to bind", "127.0.0.1")
    .option("--region <r>", "region of requests whose signing scope names no AWS region (and of all requests with --auth off)", "us-east-1")
    .option("--account-id <id>", "12-digit account ID that '-' stands for", "123456789012")
    .option("--job-delay <spec>", "Expedited=S,Standard=S,Bulk=S or 'realistic'")
    .option("--inventory-lag <s>", "seconds after a change before the next inventory, or 'live'", "86400")
    .option("--inventory-interval <s>", "minimum seconds between two inventories of a vault", "86400")
    .option("--job-expiry <s>", "seconds a completed job's output stays downloadable", "86400")
    .option("--upload-idle <s>", "seconds after which an idle multipart upload is reclaimed", "86400")
    .option("--expedited-needs-capacity", "refuse Expedited retrievals without a provisioned capacity unit")
    .option("--auth <mode>", "off | any-key | strict", "any-key")
    .option("--faults <spec>", "fault rules, e.g. 'throttle,op=UploadMultipartPart,nth=2'")
    .option("--seed <n>", "seed of the fault generator", "1")
    .option("--nulls <mode>", "emit | omit null job fields", "emit")
    .option("--new-account", "answer every call with NoLongerSupportedException");
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
  if (auth !== "off" && auth !== "any-key" && auth !== "strict") throw new UsageError(`--auth: "${auth}" is not off, any-key or strict`);
  const nulls = o["nulls"] as string;
  if (nulls !== "emit" && nulls !== "omit") throw new UsageError(`--nulls: "${nulls}" is not emit or omit`);
  const port = Number(o["port"]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: "${String(o["port"])}" is not a port number`);
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
    ...(faults !== undefined ? { faults } : {}),
  };
  if (auth === "strict") {
    // Keys come from the environment, never from argv (argv is visible to every user of the machine).
    const accessKeyId = env["GLACIER_EMULATOR_ACCESS_KEY_ID"];
    const secretAccessKey = env["GLACIER_EMULATOR_SECRET_ACCESS_KEY"];
    if (!accessKeyId || !secretAccessKey) throw new UsageError("--auth strict needs GLACIER_EMULATOR_ACCESS_KEY_ID and GLACIER_EMULATOR_SECRET_ACCESS_KEY in the environment");
    options.credentials = { accessKeyId, secretAccessKey };
  }
  return options;
}

export function emulatorHelp(): string {
  return "usage: glacier-emulator --data DIR [--port N] [--host ADDR] [--region R] [--job-delay Expedited=S,Standard=S,Bulk=S|realistic] [--inventory-lag S|live] [--auth off|any-key|strict] [--faults SPEC] [--seed N] [--nulls emit|omit] [--new-account] [--inventory-interval S] [--job-expiry S] [--upload-idle S] [--expedited-needs-capacity]";
}
