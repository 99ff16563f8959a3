import type { ExitCode } from "../core/errors.ts";
import type { Deps } from "./deps.ts";

/** One command-line option, in commander's syntax ("--name <name>", "-o, --output <file>"). */
export interface OptionSpec {
  flags: string;
  description: string;
  /** Repeatable option collecting into an array (e.g. --exclude GLOB). */
  repeatable?: boolean;
  default?: string | boolean | string[];
}

/** What the command table knows without loading the command's module (so --help stays fast). */
export interface CommandSpec {
  /** Words after `glacier`: ["archive", "upload"]. */
  path: readonly string[];
  summary: string;
  /** commander argument syntax: "<vault>", "<file...>", "[name]". */
  args: readonly string[];
  options: readonly OptionSpec[];
  load: () => Promise<CommandModule>;
}

/** Raw parse result handed to a command's parse(): positional values and option values. */
export interface RawInvocation {
  args: readonly (string | readonly string[] | undefined)[];
  flags: Readonly<Record<string, unknown>>;
}

/**
 * A command module: parse() validates the raw invocation into typed options (throwing UsageError),
 * run() does the work. run() never reads argv nor writes to the console: only through deps.
 */
export interface CommandModule<O = any> {
  parse(raw: RawInvocation): O;
  run(options: O, deps: Deps): Promise<ExitCode | void>;
}
