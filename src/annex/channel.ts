// One conversation with git-annex: our messages out, its lines in, and the replies to our queries
// read "from the same stream" (docs/annex-protocol.md#session: the remote "must read the reply to those that
// get one"). The transport is whatever carries lines; io.ts binds it to stdin/stdout.
import { ConsoleError } from "../core/errors.ts";
import { formatMessage, replyShape, type RemoteMessage } from "./messages.ts";
import { decodeText, latin1, splitFields, splitKeyword } from "./wire.ts";

export interface Transport {
  /** The next line without its 0x0A; undefined once input has ended. */
  readLine(): Promise<Uint8Array | undefined>;
  /** Writes one complete line (ending in 0x0A); resolves when it may be followed by another. */
  writeLine(line: Uint8Array): Promise<void>;
}

/**
 * git-annex answered a query with `ERROR msg`: a failed answer, and not the end of the session
 * (docs/annex-protocol.md#messages).
 */
export class QueryRefusedError extends ConsoleError {
  constructor(
    readonly query: string,
    readonly reason: string,
  ) {
    super(`git-annex refused ${query}: ${reason}`);
  }
}

/** Input ended while we waited for git-annex: it is gone, so the request cannot finish. */
export class AnnexClosedError extends ConsoleError {
  constructor() {
    super("git-annex closed the connection");
  }
}

/** git-annex answered a query with a line that is not a reply to it. */
export class UnexpectedReplyError extends ConsoleError {}

export type QueryReply =
  | { readonly keyword: "VALUE"; readonly value: Uint8Array }
  | { readonly keyword: "CREDS"; readonly user: Uint8Array; readonly password: Uint8Array };

export class Channel {
  #ended = false;
  // Queries run one at a time: git-annex answers in order, so two queries in flight at once
  // (Promise.all in a remote) would read each other's replies.
  #asking: Promise<unknown> = Promise.resolve();

  constructor(private readonly transport: Transport) {}

  /** True once input has ended: the session stops and sends nothing more. */
  get ended(): boolean {
    return this.#ended;
  }

  async send(message: RemoteMessage): Promise<void> {
    await this.transport.writeLine(formatMessage(message));
  }

  /** Sends a reply of several lines; all are formatted first, so an unencodable one sends none. */
  async sendAll(messages: readonly RemoteMessage[]): Promise<void> {
    const lines = messages.map(formatMessage);
    for (const line of lines) await this.transport.writeLine(line);
  }

  async receive(): Promise<Uint8Array | undefined> {
    if (this.#ended) return undefined;
    const line = await this.transport.readLine();
    if (line === undefined) this.#ended = true;
    return line;
  }

  /** Sends a query and reads its reply: one VALUE or CREDS, or for GETURLS the VALUEs up to `VALUE `. */
  ask(message: RemoteMessage): Promise<QueryReply[]> {
    const result = this.#asking.then(() => this.#ask(message));
    this.#asking = result.catch(() => undefined);
    return result;
  }

  async #ask(message: RemoteMessage): Promise<QueryReply[]> {
    const shape = replyShape(message.keyword);
    await this.send(message);
    if (shape === "none") return [];
    const replies: QueryReply[] = [];
    for (;;) {
      const line = await this.receive();
      if (line === undefined) throw new AnnexClosedError();
      const reply = parseQueryReply(line);
      if (reply.keyword === "ERROR") throw new QueryRefusedError(message.keyword, reply.message);
      const expected = shape === "creds" ? "CREDS" : "VALUE";
      if (reply.keyword !== expected) {
        // Only the keyword: the line could be anything, credentials included.
        throw new UnexpectedReplyError(
          `git-annex answered ${message.keyword} with ${latin1(splitKeyword(line).keyword).slice(0, 40)}`,
        );
      }
      // GETURLS: "zero or more VALUE url, then a terminating VALUE with an empty value".
      if (shape === "values" && reply.keyword === "VALUE" && reply.value.length === 0) return replies;
      replies.push(reply);
      if (shape !== "values") return replies;
    }
  }
}

type ParsedReply = QueryReply | { readonly keyword: "ERROR"; readonly message: string } | { readonly keyword: "OTHER" };

/**
 * `VALUE`, `VALUE ` and `VALUE x` parse alike (docs/annex-protocol.md#messages). CREDS carries User then
 * Password, the last
 * parameter; "Both empty means `CREDS␠␠`", and a missing part reads as empty.
 */
export function parseQueryReply(line: Uint8Array): ParsedReply {
  const { keyword, rest } = splitKeyword(line);
  const empty = new Uint8Array(0);
  switch (latin1(keyword)) {
    case "VALUE":
      return { keyword: "VALUE", value: rest ?? empty };
    case "CREDS": {
      const fields = rest === undefined ? undefined : splitFields(rest, 2);
      if (fields === undefined) return { keyword: "CREDS", user: rest ?? empty, password: empty };
      return { keyword: "CREDS", user: fields[0] ?? empty, password: fields[1] ?? empty };
    }
    case "ERROR":
      return { keyword: "ERROR", message: decodeText(rest ?? empty) };
    default:
      return { keyword: "OTHER" };
  }
}
