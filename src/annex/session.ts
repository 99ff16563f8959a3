// The protocol state machine (docs/annex-protocol.md#session): VERSION 1 first, EXTENSIONS negotiated, then
// one request at a time until input ends. A failing request gets its failure reply and the session
// goes on; only the end of input ends it ("Exit promptly on stdin EOF").
import { ConsoleError, GlacierCliError, InternalError } from "../core/errors.ts";
import { Channel, type Transport } from "./channel.ts";
import { createContext } from "./context.ts";
import { HANDLERS, type Handler } from "./handlers.ts";
import type { RemoteMessage } from "./messages.ts";
import type { SpecialRemote } from "./remote.ts";
import { type AnnexRequest, parseRequest, type RequestKeyword } from "./requests.ts";

/**
 * The extensions we can use. "Reply EXTENSIONS with an empty list, or list only names that git-annex
 * offered. If we ask for an extension that git-annex does not know, the remote becomes unusable."
 * ASYNC is left out on purpose: "Recommendation: start without ASYNC."
 */
export const SUPPORTED_EXTENSIONS = ["INFO", "GETGITREMOTENAME"] as const;

export interface SessionOptions {
  remote: SpecialRemote;
  transport: Transport;
  /** One line for the user outside the protocol (stderr, which git-annex relays). */
  log: (line: string) => void;
}

/**
 * How a session ended: input ended, or a request was malformed and we answered ERROR, after which
 * "the program should exit ... as git-annex will not talk to it any further"
 * (https://git-annex.branchable.com/design/external_special_remote_protocol/).
 */
export type SessionEnd = "eof" | "protocol-error";

export async function runSession({ remote, transport, log }: SessionOptions): Promise<SessionEnd> {
  const channel = new Channel(transport);
  let extensions: ReadonlySet<string> = new Set();
  let prepared = false;

  // "The remote must send VERSION 1 first. git-annex reads nothing else before it."
  await channel.send({ keyword: "VERSION", version: 1 });

  for (;;) {
    const line = await channel.receive();
    if (line === undefined) return "eof";
    const parsed = parseRequest(line);
    if (!parsed.ok) {
      if (parsed.keyword === "ERROR") {
        // git-annex's ERROR outside a query ("ERROR unsupported VERSION"): it carries on, so do we.
        log(`git-annex reported an error: ${describeLine(line)}`);
        continue;
      }
      if (parsed.problem === "unknown") {
        // "reply UNSUPPORTED-REQUEST ... to anything unknown (never crash on an unknown request)".
        await channel.send({ keyword: "UNSUPPORTED-REQUEST" });
        continue;
      }
      // A line that is not a request, or a known request with parameters we cannot read
      // (`CHECKPRESENT a b c`: keys never contain spaces): answering it would act on a wrong key.
      log(`protocol error: ${parsed.message}: ${describeLine(line)}`);
      await channel.send({ keyword: "ERROR", message: parsed.message });
      return "protocol-error";
    }
    const request = parsed.request;
    if (request.keyword === "EXTENSIONS") {
      const offered = new Set(request.extensions);
      extensions = new Set(SUPPORTED_EXTENSIONS.filter((name) => offered.has(name)));
      await channel.send({ keyword: "EXTENSIONS", extensions: [...extensions] });
      continue;
    }
    // "EXPORT Name gets no reply": we support no export request, each answered UNSUPPORTED-REQUEST.
    if (request.keyword === "EXPORT") continue;

    const handler = HANDLERS[request.keyword] as RequestHandler;
    const { context, close } = createContext({ channel, extensions, log });
    try {
      if (handler.needsPrepare && !prepared) throw new ConsoleError(`${request.keyword} before a successful PREPARE`);
      const replies = await handler.run(request, remote, context).finally(close);
      await channel.sendAll(replies);
      if (request.keyword === "PREPARE") prepared = true;
    } catch (error) {
      // "EOF during a request": git-annex has gone; a reply would go nowhere.
      if (channel.ended) return "eof";
      await channel.send(failureReply(handler, request, error, log));
    }
  }
}

type RequestHandler = Handler<Exclude<RequestKeyword, "EXTENSIONS" | "EXPORT">>;

function failureReply(
  handler: RequestHandler,
  request: AnnexRequest,
  error: unknown,
  log: (line: string) => void,
): RemoteMessage {
  const message = describeError(error);
  if (!(error instanceof GlacierCliError) || error instanceof InternalError) log(`${request.keyword}: ${message}`);
  // "An empty failure message is shown as 'TRANSFER failed with no reason given'": never send one.
  const reason = message.length > 0 ? message : `${request.keyword} failed`;
  return handler.fail ? handler.fail(request as never, reason) : { keyword: "ERROR", message: reason };
}

function describeError(error: unknown): string {
  if (error instanceof GlacierCliError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `internal error: ${message}`;
}

function describeLine(line: Uint8Array): string {
  return new TextDecoder().decode(line);
}
