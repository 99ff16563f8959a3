// `glacier-emulator`: the only place of the emulator that touches process.
import { CommanderError } from "commander";
import { UsageError } from "../core/errors.ts";
import { emulatorHelp, parseEmulatorCommand } from "../emulator/cli-options.ts";
import { startEmulator } from "../emulator/index.ts";

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  process.stdout.write(`${emulatorHelp()}\n`);
  process.exit(0);
}
try {
  const { options, action } = parseEmulatorCommand(argv, process.env);
  if (action.kind !== "serve") {
    // Loaded only for an action: serving never needs it.
    const { runEmulatorAction } = await import("../emulator/actions.ts");
    const lines = await runEmulatorAction(action, options);
    process.stdout.write(lines.map((line) => `${line}\n`).join(""));
    process.exit(0);
  }
  const emulator = await startEmulator(options);
  // The URL on stdout (data: scripts capture it), the message on stderr.
  process.stdout.write(`${emulator.url}\n`);
  process.stderr.write(`glacier-emulator: info: listening on ${emulator.url}, data in ${options.dataDir}\n`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  if (error instanceof CommanderError) process.exit(0);
  const usage = error instanceof UsageError;
  process.stderr.write(`glacier-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  if (usage) process.stderr.write("try 'glacier-emulator --help'\n");
  process.exit(usage ? 2 : 1);
}
