// Builds the commander program from the command table and runs one invocation. Returns the exit
// code; never calls process.exit (the entry file does).
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { Readable, Writable } from "node:stream";
import type { Clock } from "../core/clock.ts";
import { ExitCode, UsageError } from "../core/errors.ts";
import { commands } from "../commands/index.ts";
import type { CommandEntry, OptionSpec, RawValues } from "../commands/types.ts";
import { parseStallSeconds } from "../glacier/settings.ts";
import type { GlobalOptions } from "../commands/deps.ts";
import { createDeps } from "./deps.ts";
import { reportError } from "./exit.ts";
import { createOutput } from "../platform/output.ts";

export interface CliIo {
  argv: readonly string[];
  stdin: Readable;
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  clock: Clock;
}

import { VERSION } from "../platform/version.ts";

export { VERSION };

export async function runCli(io: CliIo): Promise<number> {
  let selected: { entry: CommandEntry; raw: RawValues } | undefined;
  const program = buildProgram(io, (entry, raw) => {
    selected = { entry, raw };
  });
  const debug = io.argv.includes("--debug");
  const output = createOutput({ stdout: io.stdout, stderr: io.stderr, debug });
  try {
    await program.parseAsync([...io.argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    return reportError(error, output, { debug });
  }
  if (!selected) return ExitCode.ok;
  const global = program.opts<GlobalOptions>();
  // A command's own --storage-class (vault migrate, docs/migrate.md) is also the class of its S3 uploads.
  const ownClass = selected.entry.spec.options.storageClass;
  const given = ownClass && selected.raw.option(ownClass);
  if (typeof given === "string" && global.storageClass === undefined) global.storageClass = given;
  const deps = createDeps({
    output,
    clock: io.clock,
    env: io.env,
    stdin: io.stdin,
    cwd: io.cwd,
    global: { ...global, debug },
  });
  try {
    const run = await selected.entry.prepare(selected.raw);
    return (await run(deps)) ?? ExitCode.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      output.error(error.message);
      if (error.helpHint) output.error(`try 'glacier ${selected.entry.spec.path.join(" ")} --help'`);
      return ExitCode.usage;
    }
    return reportError(error, output, { debug });
  } finally {
    await deps.close();
  }
}

const TOP_LEVEL_NOTES = `
Endpoint: --endpoint-url, else AWS_ENDPOINT_URL_GLACIER (AWS_ENDPOINT_URL_S3 for s3://BUCKET[/PREFIX]),
else AWS_ENDPOINT_URL, else AWS in the region. local:DIR runs a Glacier and S3 emulator inside the
command over the folder DIR: no AWS account or credentials needed, retrieval jobs, restores and
inventories complete at once.

Exit codes: 0 success; 1 failure (one 'glacier: ...' line on stderr says why); 2 usage error;
75 a Glacier job is queued or still in progress: run the same command again later (or add --wait).

Example: glacier --endpoint-url local:$HOME/glacier-vaults vault create photos`;

function buildProgram(io: CliIo, select: (entry: CommandEntry, raw: RawValues) => void): Command {
  const program = new Command("glacier")
    .description("Amazon Glacier vault toolkit (glacier-cli compatible)")
    .version(VERSION, "--version")
    .option("--region <region>", "AWS region (default: AWS_REGION, the profile's region, then us-east-1)")
    .option(
      "--endpoint-url <url>",
      "Glacier endpoint URL (default: AWS_ENDPOINT_URL_GLACIER, then AWS_ENDPOINT_URL), or local:DIR for the " +
        "embedded emulator",
    )
    .option("--profile <name>", "AWS shared-config profile")
    .option("--cache-dir <dir>", "archive cache folder (default: $XDG_CACHE_HOME/glacier-cli)")
    .addOption(
      new Option(
        "--stall-timeout <seconds>",
        "abandon (and retry) a request after this long without a byte (default: GLACIER_STALL_TIMEOUT, then 60)",
      ).argParser(
        (text: string) =>
          parseStallSeconds(text) ?? fail(new InvalidArgumentError("expected a number of seconds greater than 0")),
      ),
    )
    .option(
      "--storage-class <class>",
      "S3 storage class of uploads to s3:// (default: GLACIER_S3_STORAGE_CLASS, then DEEP_ARCHIVE)",
    )
    .option(
      "--restore-days <days>",
      "days a restored S3 object stays readable (default: GLACIER_S3_RESTORE_DAYS, then 1)",
    )
    .option("--debug", "print debug details on stderr")
    .showHelpAfterError(false)
    .addHelpText("after", TOP_LEVEL_NOTES);
  configure(program, io);
  const groups = new Map<string, Command>();
  for (const entry of commands) {
    const spec = entry.spec;
    let parent = program;
    for (const word of spec.path.slice(0, -1)) {
      let group = groups.get(word);
      if (!group) {
        group = configure(new Command(word).description(`${word} commands`), io);
        groups.set(word, group);
        parent.addCommand(group);
      }
      parent = group;
    }
    const command = configure(new Command(spec.path.at(-1)).description(spec.summary), io);
    for (const arg of spec.args) command.argument(arg);
    const options = new Map<OptionSpec, Option>();
    for (const opt of Object.values(spec.options)) {
      const option = new Option(opt.flags, opt.description);
      if (opt.kind === "list")
        option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
      options.set(opt, option);
      command.addOption(option);
    }
    command.action(() => {
      select(entry, {
        args: command.processedArgs,
        option: (opt) => {
          const option = options.get(opt);
          const given: unknown = option && command.getOptionValue(option.attributeName());
          return given;
        },
      });
    });
    parent.addCommand(command);
  }
  return program;
}

function fail(error: Error): never {
  throw error;
}

// Usage errors: one `glacier: ` line on stderr and exit 2, as argparse does (git-annex relies on it).
function configure(command: Command, io: CliIo): Command {
  return command
    .exitOverride()
    .allowExcessArguments(false)
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      outputError: (text, write) => {
        write(`glacier: ${text.replace(/^error: /, "")}`);
      },
    });
}
