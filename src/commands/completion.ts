// `glacier completion bash|zsh|fish`: prints a completion script built from the command table
// (install: README "Shell completion"). `glacier completion --vaults` prints the vault names the
// archive cache knows, one per line, for those scripts: no request is sent.
import { UsageError } from "../core/errors.ts";
import type { Deps } from "./deps.ts";
import { SHELLS, type Shell, completionScript } from "./shared/completion-scripts.ts";
import { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export type CompletionOptions = { kind: "script"; shell: Shell } | { kind: "vaults" };

export function parse(raw: Invocation<typeof specs.completion>): CompletionOptions {
  const shell = raw.args[0];
  if (raw.flags.vaults) {
    if (shell !== undefined) throw new UsageError("--vaults takes no shell name");
    return { kind: "vaults" };
  }
  if (shell === undefined) throw new UsageError(`missing shell name: one of ${SHELLS.join(", ")}`);
  const known = SHELLS.find((name) => name === shell);
  if (known === undefined) throw new UsageError(`unknown shell '${shell}': expected one of ${SHELLS.join(", ")}`);
  return { kind: "script", shell: known };
}

export async function run(options: CompletionOptions, deps: Deps): Promise<void> {
  if (options.kind === "script") {
    await deps.output.data(completionScript(options.shell, Object.values(specs)));
    return;
  }
  const cache = await deps.cache();
  const vaults = await cache.vaults();
  if (vaults.length > 0) await deps.output.data(`${vaults.join("\n")}\n`);
}
