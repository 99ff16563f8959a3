import { ExitCode, GlacierCliError } from "../core/errors.ts";
import type { Output } from "../platform/output.ts";

/**
 * The one place that turns an error into what the user sees and the exit code. Errors the user
 * can cause print one line; anything else is a bug and asks for a report (stack only with --debug).
 */
export function reportError(error: unknown, output: Output, options: { debug?: boolean } = {}): ExitCode {
  if (error instanceof GlacierCliError) {
    output.error(error.message);
    if (options.debug && error.cause instanceof Error && error.cause.stack) output.debug(error.cause.stack);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  output.error(`internal error: ${message}`);
  output.error("this is a bug; please report it with the command you ran (add --debug for details)");
  if (options.debug && error instanceof Error && error.stack) output.debug(error.stack);
  return ExitCode.failure;
}
