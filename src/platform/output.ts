// stdout carries data only; every message goes to stderr, each line prefixed
// (docs/compatibility.md#output-and-exit-codes: "Prefixing applies to each line of a multi-line message").
import type { Writable } from "node:stream";

export interface Output {
  /** Writes data to stdout, waiting for the stream to drain (archive bytes can be gigabytes). */
  data(chunk: string | Uint8Array): Promise<void>;
  /** The raw stdout stream, for commands that pipe archive bytes (`-o-`). */
  readonly stdout: Writable;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Debug lines, only with --debug. */
  debug(message: string): void;
  /** True when stderr is a terminal: progress bars are drawn only then. */
  readonly interactive: boolean;
  /** Raw stderr writes (progress bar redraws). */
  status(text: string): void;
}

export interface OutputOptions {
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
  program?: string;
  debug?: boolean;
}

export function prefixLines(prefix: string, message: string): string {
  return message
    .split("\n")
    .map((line) => `${prefix}${line}\n`)
    .join("");
}

export function createOutput({ stdout, stderr, program = "glacier", debug = false }: OutputOptions): Output {
  const say = (prefix: string) => (message: string) => void stderr.write(prefixLines(`${program}: ${prefix}`, message));
  return {
    stdout,
    data: (chunk) =>
      new Promise((resolve) => {
        if (stdout.write(chunk)) resolve();
        else stdout.once("drain", resolve);
      }),
    info: say("info: "),
    warn: say("warning: "),
    error: say(""),
    debug: debug ? say("debug: ") : () => {},
    interactive: stderr.isTTY === true,
    status: (text) => void stderr.write(text),
  };
}
