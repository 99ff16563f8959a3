// The node:http adapter: IncomingMessage -> EmuRequest, EmuResponse -> socket, plus the transport
// faults only a socket can do (reset, truncation, corrupted bytes). Nothing Glacier-specific here.
import { createReadStream } from "node:fs";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { Socket } from "node:net";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GlacierApiError } from "./api-error.ts";
import { type EmuRequest, type EmuResponse, errorResponse, isFileSlice } from "./http.ts";
import type { RequestLog, RequestLogEntry } from "./request-log.ts";
import type { Router } from "./router.ts";
import { sendFileSlice, slicePieces } from "./send-file.ts";
import { isoMillis } from "./time.ts";
import { defined } from "../core/errors.ts";

const UNREAD_BODY_LIMIT = 8 * 1024 * 1024;

function toEmuRequest(req: IncomingMessage): EmuRequest {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers))
    headers[name] = Array.isArray(value) ? value.join(",") : value;
  // The IncomingMessage itself is the body: no wrapper on the hot path (64 KiB chunks, 16k per GiB).
  return {
    method: req.method ?? "GET",
    path: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? "" : url.slice(q + 1),
    headers,
    body: req,
  };
}

/** Sends an RST instead of a FIN where Node can (resetAndDestroy, Node >= 18.3). */
function reset(socket: Socket | null): void {
  // The client may already have gone (the socket is detached from the response then).
  if (!socket) return;
  if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
  else socket.destroy();
}

/** Passes through `limit` bytes, then runs onLimit (reset or close) instead of sending the rest. */
function cutAfter(limit: number, onLimit: () => void): Transform {
  let sent = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (sent >= limit) {
        done();
        return;
      }
      const part = chunk.subarray(0, limit - sent);
      sent += part.length;
      this.push(part);
      if (sent >= limit) setImmediate(onLimit);
      done();
    },
  });
}

/** Flips one byte at `at` (tree-hash header stays the true one: tests client verification). */
function corruptAt(at: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (at >= seen && at < seen + chunk.length) {
        const copy = Buffer.from(chunk);
        copy[at - seen] = defined(copy[at - seen], "copy[at - seen]") ^ 0xff;
        chunk = copy;
      }
      seen += chunk.length;
      done(null, chunk);
    },
  });
}

/** The body bytes a response sends: none for a reset, half for a cut body, else all of it. */
function plannedBytesOut(response: EmuResponse): number {
  const kind = response.transport?.kind;
  const body = response.body;
  if (kind === "reset-before" || kind === "stall-before" || body === undefined) return 0;
  const length = body.length;
  return kind === "reset-mid-body" || kind === "truncate" || kind === "stall-mid-body"
    ? Math.floor(length / 2)
    : length;
}

async function send(res: ServerResponse, socket: Socket, response: EmuResponse): Promise<void> {
  const transport = response.transport;
  if (transport?.kind === "reset-before") {
    reset(socket);
    return;
  }
  // A service that went silent: nothing more is sent and the connection is left open; the client
  // must give up by itself (the server's close() ends it).
  if (transport?.kind === "stall-before") return;
  res.writeHead(response.status, response.headers);
  const body = response.body;
  if (body === undefined || (isFileSlice(body) && body.length === 0)) {
    res.end();
    return;
  }
  if (isFileSlice(body) && transport === undefined) {
    await sendFileSlice(res, body).catch(() => res.destroy());
    return;
  }
  const length = body.length;
  const source = isFileSlice(body)
    ? Readable.from(
        (async function* () {
          for (const piece of slicePieces(body))
            yield* createReadStream(piece.path, {
              start: piece.start,
              end: piece.start + piece.length - 1,
              highWaterMark: 1024 * 1024,
            }) as AsyncIterable<Buffer>;
        })(),
      )
    : Readable.from([body]);
  const stages: NodeJS.ReadWriteStream[] = [];
  const half = Math.floor(length / 2);
  if (transport?.kind === "reset-mid-body")
    stages.push(
      cutAfter(half, () => {
        reset(socket);
      }),
    );
  if (transport?.kind === "truncate") stages.push(cutAfter(half, () => socket.end()));
  if (transport?.kind === "corrupt") stages.push(corruptAt(half));
  if (transport?.kind === "stall-mid-body") stages.push(cutAfter(half, () => undefined));
  await pipeline([source, ...stages, res] as NodeJS.ReadWriteStream[]).catch(() => undefined);
}

/** Which archive and which bytes a request was about, for the request log (reliability checks). */
function requestDetail(req: EmuRequest): Pick<RequestLogEntry, "description" | "range" | "part"> {
  const description = req.headers["x-amz-archive-description"];
  const range = req.headers["content-range"] ?? req.headers["range"];
  const part = new URLSearchParams(req.rawQuery).get("partNumber");
  return {
    ...(description !== undefined ? { description } : {}),
    ...(range !== undefined ? { range } : {}),
    ...(part !== null ? { part } : {}),
  };
}

export function createHttpServer(router: Router, log: RequestLog, now: () => number): Server {
  const server = createServer({ keepAlive: true }, (req, res) => {
    // Held here: req.socket and res.socket become null once the connection is gone (a client that
    // went away, or a reset fault), and the log must still be written.
    const socket = req.socket;
    // Bytes read on this connection for this request (headers included: a log figure, not billing).
    const readBefore = socket.bytesRead;
    const emuReq = toEmuRequest(req);
    void router(emuReq)
      .then(async (response) => {
        // Logged before the first byte of the answer (or the reset) goes out, so a client that has
        // seen the outcome of a request always finds it in the log, with its faults.
        log.add({
          time: isoMillis(now()),
          method: emuReq.method,
          path: emuReq.path,
          operation: response.operation ?? "Unknown",
          ...(response.region !== undefined ? { region: response.region } : {}),
          status: response.status,
          bytesIn: socket.bytesRead - readBefore,
          bytesOut: plannedBytesOut(response),
          faults: (response.faults ?? []).map((f) => f.kind),
          ...requestDetail(emuReq),
        });
        // docs/emulator.md#fidelity: "drain or close when rejecting a request before reading its body": a
        // large remainder is not worth reading, so the connection is closed; a small one is read and
        // discarded here. (Node drains by itself only a body nobody started to read; one left half
        // read, as the 408 fault does, would stall the next request on this keep-alive connection.)
        if (!req.complete) {
          if (Number(req.headers["content-length"] ?? 0) > UNREAD_BODY_LIMIT) response.headers["Connection"] = "close";
          else req.resume();
        }
        await send(res, socket, response);
      })
      .catch(() => socket.destroy());
  });
  // Malformed requests, oversized headers: Glacier's error JSON when the socket can still take it,
  // otherwise a closed connection; the server keeps serving.
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writable && error.code !== "ECONNRESET") {
      const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
      const reply = errorResponse(
        new GlacierApiError(
          "BadRequest",
          status === 431 ? "Request headers are too large" : "Malformed HTTP request",
          status,
        ),
      );
      const head = Object.entries({ ...reply.headers, Connection: "close" })
        .map(([k, v]) => `${k}: ${v}`)
        .join("\r\n");
      socket.end(
        `HTTP/1.1 ${status} ${status === 431 ? "Request Header Fields Too Large" : "Bad Request"}\r\n${head}` +
          `\r\n\r\n${defined(reply.body as Buffer | undefined, "reply.body").toString()}`,
      );
    } else {
      socket.destroy();
    }
  });
  return server;
}
