// The port a git-annex special remote implements, in our vocabulary: Keys and Files are bytes,
// answers are typed results, failures are thrown errors from core/errors.ts. The session
// (session.ts) turns these into protocol replies; an implementation never writes protocol lines.
import type { Availability } from "./messages.ts";

export type { Availability } from "./messages.ts";

/**
 * CHECKPRESENT's answer (docs/annex-protocol.md#presence): "answer FAILURE only if we positively know the key
 * is absent ... Answer SUCCESS only if we choose to trust our record ... Otherwise answer UNKNOWN
 * with a one-line reason." A thrown error is also reported as unknown, never as absent.
 */
export type Presence =
  { readonly kind: "present" } | { readonly kind: "absent" } | { readonly kind: "unknown"; readonly reason: string };

export interface ConfigSetting {
  /** A setting name for `initremote NAME=value`: no spaces. */
  readonly name: string;
  readonly description: string;
}

export interface InfoField {
  readonly name: string;
  readonly value: string;
}

/** CHECKURL's answer: one file (size undefined when unknown), several, or a failure to report. */
export type UrlCheck =
  | { readonly kind: "contents"; readonly size: number | undefined; readonly filename: Uint8Array }
  | {
      readonly kind: "multi";
      readonly entries: readonly { url: Uint8Array; size: number | undefined; filename: Uint8Array }[];
    }
  | { readonly kind: "failure"; readonly message: string };

export interface Creds {
  readonly user: string;
  readonly password: string;
}

/**
 * Queries back to git-annex while a request is handled (docs/annex-protocol.md#messages). Each resolves once
 * git-annex answered.
 * When git-annex refuses ("ERROR cannot send GETUUID here"), the query rejects with
 * QueryRefusedError and the session carries on; when input ends, with AnnexClosedError.
 */
export interface RemoteContext {
  /** Extensions both sides agreed on (ours that git-annex offered), e.g. INFO. */
  readonly extensions: ReadonlySet<string>;
  /** "Cumulative bytes from the start of the file"; send it often (it feeds stall detection). */
  progress(bytes: number): Promise<void>;
  /** Shown with --debug; a multi-line message becomes several DEBUG lines. */
  debug(message: string): Promise<void>;
  /** Shown to the user now: INFO when negotiated, otherwise on stderr (git-annex relays it). */
  info(message: string): Promise<void>;
  /** The value of a setting, "" when unset. Sees the user's initremote parameters. */
  getConfig(setting: string): Promise<string>;
  /** "Persisted to remote.log only when sent during INITREMOTE". */
  setConfig(setting: string, value: string): Promise<void>;
  getCreds(setting: string): Promise<Creds>;
  setCreds(setting: string, user: string, password: string): Promise<void>;
  getUuid(): Promise<string>;
  /** The git directory; "The path may be relative" (to the current directory). */
  getGitDir(): Promise<Uint8Array>;
  /** Needs the GETGITREMOTENAME extension; refused during INITREMOTE by 10.20230126. */
  getGitRemoteName(): Promise<string>;
  /** Per-key state for this remote in the git-annex branch; "" when none. */
  getState(key: Uint8Array): Promise<string>;
  setState(key: Uint8Array, value: string): Promise<void>;
  /** "Mixed-case two-level hash with a trailing slash", e.g. `aB/Cd/`. */
  dirHash(key: Uint8Array): Promise<Uint8Array>;
  dirHashLower(key: Uint8Array): Promise<Uint8Array>;
  getWanted(): Promise<string>;
  setWanted(expression: string): Promise<void>;
  setUrlPresent(key: Uint8Array, url: Uint8Array | string): Promise<void>;
  setUrlMissing(key: Uint8Array, url: Uint8Array | string): Promise<void>;
  setUriPresent(key: Uint8Array, uri: Uint8Array | string): Promise<void>;
  setUriMissing(key: Uint8Array, uri: Uint8Array | string): Promise<void>;
  getUrls(key: Uint8Array, prefix: Uint8Array | string): Promise<Uint8Array[]>;
}

/**
 * A special remote. The five mandatory requests are required methods; an optional method left out
 * is answered UNSUPPORTED-REQUEST (EXPORTSUPPORTED is answered FAILURE, docs/annex-protocol.md#export).
 * Throwing fails the
 * request with the error's message on one line; the process stays usable for the next request.
 */
export interface SpecialRemote {
  /** INITREMOTE: "Run by both initremote and enableremote, and repeated per clone, so it must be idempotent." */
  initRemote(context: RemoteContext): Promise<void>;
  /** PREPARE: "Sent once per process ... Keep PREPARE cheap and do no network I/O in it." */
  prepare(context: RemoteContext): Promise<void>;
  /** TRANSFER STORE: File is read-only; "The remote-side name must derive from Key, never from File." */
  store(context: RemoteContext, key: Uint8Array, file: Uint8Array): Promise<void>;
  /** TRANSFER RETRIEVE: File "may already hold a partial download". Pending: throw PendingError. */
  retrieve(context: RemoteContext, key: Uint8Array, file: Uint8Array): Promise<void>;
  checkPresent(context: RemoteContext, key: Uint8Array): Promise<Presence>;
  /** REMOVE: "SUCCESS also when the key was already absent". */
  remove(context: RemoteContext, key: Uint8Array): Promise<void>;

  listConfigs?(context: RemoteContext): Promise<readonly ConfigSetting[]>;
  getCost?(context: RemoteContext): Promise<number>;
  getAvailability?(context: RemoteContext): Promise<Availability>;
  /** WHEREIS: "Must be fast: no network." undefined answers WHEREIS-FAILURE. */
  whereis?(context: RemoteContext, key: Uint8Array): Promise<string | undefined>;
  getInfo?(context: RemoteContext): Promise<readonly InfoField[]>;
  exportSupported?(context: RemoteContext): Promise<boolean>;
  getOrdered?(context: RemoteContext): Promise<boolean>;
  claimUrl?(context: RemoteContext, url: Uint8Array): Promise<boolean>;
  checkUrl?(context: RemoteContext, url: Uint8Array): Promise<UrlCheck>;
}
