// `glacier completion bash|zsh|fish`: prints a completion script built from the command table
// (install: README "Shell completion"). `glacier completion --vaults` prints the vault names the
// archive cache knows, one per line, for those scripts: no request is sent.
import { UsageError } from "../core/errors.ts";
import type { Deps } from "./deps.ts";
import { commands } from "./index.ts";
import { SHELLS, type Shell, completionScript } from "./shared/completion-scripts.ts";
import type { RawInvocation } from "./types.ts";

export type CompletionOptions = { kind: "script"; shell: Shell } | { kind: "vaults" };

export function parse(raw: RawInvocation): CompletionOptions {
  const shell = raw.args[0] as string | undefined;
  if (raw.flags.vaults === true) {
    if (shell !== undefined) throw new UsageError("--vaults takes no shell name");
    return { kind: "vaults" };
  }
  if (shell === undefined) throw new UsageError(`missing shell name: one of ${SHELLS.join(", ")}`);
  if (!(SHELLS as readonly string[]).includes(shell))
    throw new UsageError(`unknown shell '${shell}': expected one of ${SHELLS.join(", ")}`);
  return { kind: "script", shell: shell as Shell };
}

export async function run(options: CompletionOptions, deps: Deps): Promise<void> {
  if (options.kind === "script") {
    await deps.output.data(completionScript(options.shell, commands));
    return;
  }
  const cache = await deps.cache();
  const vaults = await cache.vaults();
  if (vaults.length > 0) await deps.output.data(`${vaults.join("\n")}\n`);
}
