// `glacier` / `glacier-cli`: the only place that touches process.
import { runCli } from "../runtime/cli.ts";
import { offsetClock } from "../platform/system-clock.ts";

// The SDK warns on every run that its 2027 releases will need Node 22: a note for this project's
// maintainers, not for someone restoring a backup (and git-annex shows our stderr to its users).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// A closed pipe (`glacier archive list V | head`) is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const clock = offsetClock(process.env.GLACIER_CLOCK_OFFSET_SECONDS);
if (clock === undefined) {
  process.stderr.write("glacier: GLACIER_CLOCK_OFFSET_SECONDS must be a number of seconds\n");
  process.exit(2);
}

process.exitCode = await runCli({
  argv: process.argv.slice(2),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  clock,
});
