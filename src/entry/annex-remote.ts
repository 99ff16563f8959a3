// `git-annex-remote-glacier`: the only place of the remote that touches process. git-annex runs it
// from PATH and talks to it over stdin/stdout (docs/annex-protocol.md#session).
import { serveRemote } from "../annex/io.ts";
import { glacierRemote } from "../annex/glacier-remote.ts";
import { systemClock } from "../platform/system-clock.ts";
import { VERSION } from "../platform/version.ts";
import { openRemoteBackend } from "../runtime/remote-backend.ts";

const PROGRAM = "git-annex-remote-glacier";

const USAGE = `Usage: ${PROGRAM} [--help | --version]

A git-annex external special remote for Amazon Glacier vaults and S3 buckets in the archive
storage classes. git-annex runs it and talks to it over stdin and stdout; set it up with:

  git annex initremote NAME type=external externaltype=glacier encryption=shared [vault=NAME]
      [datacenter=REGION] [endpoint=URL|local:DIR] [tier=Standard] [partsize=64MiB]
      [checkpresent=trust|maxage|paranoid] [maxage=80] [fileprefix=PREFIX]

or, on S3 (bucket= instead of vault=):

  git annex initremote NAME type=external externaltype=glacier encryption=shared bucket=BUCKET
      [prefix=PREFIX] [storageclass=DEEP_ARCHIVE] [tier=Standard|Bulk] [restoredays=1]
      [datacenter=REGION] [endpoint=URL|local:DIR] [partsize=64MiB] [fileprefix=PREFIX]
`;

// Run by hand: say what this is rather than start the protocol (which would wait on stdin).
const [flag, ...extra] = process.argv.slice(2);
if (flag !== undefined) {
  if (extra.length === 0 && (flag === "--help" || flag === "-h")) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (extra.length === 0 && (flag === "--version" || flag === "-V")) {
    process.stdout.write(`${PROGRAM} ${VERSION}\n`);
    process.exit(0);
  }
  process.stderr.write(`${PROGRAM}: unknown argument ${JSON.stringify(flag)}; see ${PROGRAM} --help\n${USAGE}`);
  process.exit(2);
}

// The SDK's notice that its 2027 releases need Node 22 would reach git-annex users on every run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// git-annex gone (it kills the process after an ERROR, or closes our stdout): nothing to tell anyone.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const world = {
  env: process.env,
  cwd: process.cwd(),
  clock: systemClock,
  warn: (message: string) => void process.stderr.write(`${PROGRAM}: warning: ${message}\n`),
};
const remote = glacierRemote({
  ...world,
  openBackend: (settings, creds) => openRemoteBackend(settings, creds, world),
});
try {
  const end = await serveRemote(
    remote,
    { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
    { program: PROGRAM },
  );
  if (end === "protocol-error") process.exitCode = 1;
} catch (error) {
  // Only writing to a git-annex that has gone away gets here (requests fail with their own reply).
  if ((error as NodeJS.ErrnoException).code !== "EPIPE") {
    process.stderr.write(`${PROGRAM}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
} finally {
  await remote.close().catch(() => undefined);
}
// "Exit promptly on stdin EOF. git-annex waits for the process to exit": sockets or timers left by
// the SDK must not keep it alive.
process.exit(process.exitCode ?? 0);
