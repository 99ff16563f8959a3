// The closed set of errors a command may raise. Each carries its outcome: the process exit code
// (docs/compatibility.md#output-and-exit-codes: ConsoleError -> 1, RetryConsoleError -> 75, argparse usage -> 2) and
// the kind of reply the git-annex remote gives for it. Anything else that escapes is a bug (InternalError) and is
// reported as such, without a stack trace unless --debug.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** EX_TEMPFAIL: a Glacier job is queued or still in progress; try again later. */
  pending: 75,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** How the git-annex remote reports this error: a failure, or "cannot tell now" (UNKNOWN). */
export type AnnexOutcome = "failure" | "unknown";

export abstract class GlacierCliError extends Error {
  abstract readonly exitCode: ExitCode;
  readonly annexOutcome: AnnexOutcome = "failure";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad command line: unknown option, missing argument, invalid value. Exit 2. */
export class UsageError extends GlacierCliError {
  readonly exitCode = ExitCode.usage;
  /** Whether the CLI adds "try 'glacier COMMAND --help'": not for a message that says it all. */
  readonly helpHint: boolean;
  constructor(message: string, options?: { cause?: unknown; helpHint?: boolean }) {
    super(message, options);
    this.helpHint = options?.helpHint ?? true;
  }
}

/** A failure the user can understand and act on (glacier-cli's ConsoleError). Exit 1. */
export class ConsoleError extends GlacierCliError {
  readonly exitCode = ExitCode.failure;
}

/** A local file cannot be read or written: carries the path and the system's reason. Exit 1. */
export class FileError extends ConsoleError {
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${reason}`, options);
  }
}

/** A file's size or bytes changed while it was read: reading it again may succeed. Exit 1. */
export class FileChangedError extends FileError {}

/** Glacier (or the network on the way) refused or failed a request. Exit 1. */
export class ServiceError extends ConsoleError {
  override readonly annexOutcome: AnnexOutcome = "unknown";
  constructor(
    message: string,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The vault of a vault-only operation does not exist (ResourceNotFoundException): every other request fails too. */
export class VaultNotFoundError extends ServiceError {}

/** DeleteVault refused: the vault held archives at its last inventory or was written to since. */
export class VaultNotEmptyError extends ServiceError {}

/** No AWS credentials were found. Exit 1. The annex remote gives its own advice for it. */
export class NoCredentialsError extends ConsoleError {}

/** The local archive cache cannot be opened or written. Exit 1. */
export class CacheError extends ConsoleError {}

/** Data did not match its checksum. Exit 1. Nothing is written under a final name. */
export class IntegrityError extends ConsoleError {}

/** A job was queued or is still pending (glacier-cli's RetryConsoleError). Exit 75. */
export class PendingError extends GlacierCliError {
  readonly exitCode = ExitCode.pending;
  override readonly annexOutcome: AnnexOutcome = "failure";
}

/** A bug: something no user input should cause. Exit 1 with a request to report it. */
export class InternalError extends GlacierCliError {
  readonly exitCode = ExitCode.failure;
}

/**
 * The value the code around it guarantees is there; if the guarantee breaks, an InternalError names
 * what is missing.
 */
export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new InternalError(`internal error: ${what} is missing`);
  return value;
}

/** The message of a Node system error without the syscall noise: "No such file or directory". */
export function describeSystemError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && code in SYSTEM_ERROR_TEXT) return SYSTEM_ERROR_TEXT[code as keyof typeof SYSTEM_ERROR_TEXT];
  return error instanceof Error ? error.message : String(error);
}

// The strerror(3) texts for the codes a user can cause, as sha256sum and friends print them.
const SYSTEM_ERROR_TEXT = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
  ENOSPC: "No space left on device",
  EROFS: "Read-only file system",
  EMFILE: "Too many open files",
  ELOOP: "Too many levels of symbolic links",
  ENAMETOOLONG: "File name too long",
  EIO: "Input/output error",
  EEXIST: "File exists",
  EDQUOT: "Disk quota exceeded",
  ECONNREFUSED: "Connection refused",
  ECONNRESET: "Connection reset by peer",
  ETIMEDOUT: "Connection timed out",
} as const;
