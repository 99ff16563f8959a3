// What the command table knows of a command without loading its module (so --help stays fast), and
// the types a command's parse() gets from it: each argument's and option's value type follows from
// its declaration, so no command casts commander's untyped values (docs/architecture.md#how-a-command-flows).
import type { ExitCode } from "../core/errors.ts";
import type { Deps } from "./deps.ts";

/** An option without a value (`--json`): true when given. */
export interface FlagOption {
  readonly kind: "flag";
  /** commander's syntax: "--json", "-q, --quiet". */
  readonly flags: string;
  readonly description: string;
}

/** An option with a value (`--name <name>`): the last value given, undefined when absent. */
export interface ValueOption {
  readonly kind: "value";
  readonly flags: string;
  readonly description: string;
}

/** A repeatable option with a value (`--exclude <glob>`): every value given, in order. */
export interface ListOption {
  readonly kind: "list";
  readonly flags: string;
  readonly description: string;
}

export type OptionSpec = FlagOption | ValueOption | ListOption;

// A value placeholder in the flags decides whether commander reads a value: the helpers check it.
type Valued = `${string}<${string}>${string}`;

export const flag = <F extends string>(flags: F extends Valued ? never : F, description: string): FlagOption => ({
  kind: "flag",
  flags,
  description,
});
export const value = (flags: Valued, description: string): ValueOption => ({ kind: "value", flags, description });
export const list = (flags: Valued, description: string): ListOption => ({ kind: "list", flags, description });

export interface CommandSpec {
  /** Words after `glacier`: ["archive", "upload"]. */
  readonly path: readonly string[];
  readonly summary: string;
  /** commander argument syntax: "<vault>", "<file...>", "[name]". */
  readonly args: readonly string[];
  /** By the name parse() reads the value under; the order is the order of --help. */
  readonly options: Readonly<Record<string, OptionSpec>>;
}

/** Keeps the literal argument syntax, from which the argument types follow. */
export const defineCommand = <const S extends CommandSpec>(spec: S): S => spec;

type ArgValue<A> = A extends `<${string}...>`
  ? string[]
  : A extends `[${string}...]`
    ? string[]
    : A extends `<${string}>`
      ? string
      : A extends `[${string}]`
        ? string | undefined
        : never;

type OptionValue<O extends OptionSpec> = O extends FlagOption
  ? boolean
  : O extends ValueOption
    ? string | undefined
    : string[];

/** The values a command's parse() gets: positional values in order, option values by name. */
export interface Invocation<S extends CommandSpec> {
  readonly args: { readonly [K in keyof S["args"]]: ArgValue<S["args"][K]> };
  readonly flags: { readonly [K in keyof S["options"]]: OptionValue<S["options"][K]> };
}

/** What a command's run() returns: an exit code, or nothing for success. */
export type RunResult = Promise<ExitCode> | Promise<void>;

/**
 * A command module: parse() validates the invocation into typed options (throwing UsageError),
 * run() does the work. run() never reads argv nor writes to the console: only through deps.
 */
export interface CommandModule<S extends CommandSpec, O> {
  parse: (raw: Invocation<S>) => O;
  run: (options: O, deps: Deps) => RunResult;
}

/** Values as the argument parser hands them over: positional values, and an option's value by its flags. */
export interface RawValues {
  readonly args: readonly unknown[];
  option(spec: OptionSpec): unknown;
}

/** One entry of the command table: the spec, and its module behind a lazy import. */
export interface CommandEntry {
  readonly spec: CommandSpec;
  /** Loads the module and validates the values (UsageError on bad input) into a run of the command. */
  prepare(raw: RawValues): Promise<(deps: Deps) => RunResult>;
}

/** Pairs a spec with its module; the compiler checks that the module's parse() reads that spec. */
export function command<S extends CommandSpec, O>(
  spec: S,
  load: () => Promise<CommandModule<NoInfer<S>, O>>,
): CommandEntry {
  return {
    spec,
    async prepare(raw) {
      const module = await load();
      const options = module.parse(invocation(spec, raw));
      return (deps) => module.run(options, deps);
    },
  };
}

/**
 * The one place untyped parser values become an Invocation. Each value is checked against its
 * declaration, so the single assertion below states what the checks established.
 */
function invocation<S extends CommandSpec>(spec: S, raw: RawValues): Invocation<S> {
  const args = spec.args.map((syntax, index) => {
    const given = raw.args[index];
    if (syntax.includes("...")) return strings(given, syntax) ?? [];
    if (given === undefined || typeof given === "string") return given;
    throw new TypeError(`argument ${syntax}: expected a string`);
  });
  const flags: Record<string, boolean | string | string[] | undefined> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    const given = raw.option(option);
    if (option.kind === "flag") flags[name] = given === true;
    else if (option.kind === "list") flags[name] = strings(given, option.flags) ?? [];
    else if (given === undefined || typeof given === "string") flags[name] = given;
    else throw new TypeError(`option ${option.flags}: expected a string`);
  }
  return { args, flags } as unknown as Invocation<S>;
}

function strings(given: unknown, what: string): string[] | undefined {
  if (given === undefined) return undefined;
  if (Array.isArray(given) && given.every((item) => typeof item === "string")) return given;
  throw new TypeError(`${what}: expected a list of strings`);
}
