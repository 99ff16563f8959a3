// The node:http adapter: IncomingMessage -> EmuRequest, EmuResponse -> socket, plus the transport
// faults only a socket can do (reset, truncation, corrupted bytes). Nothing Glacier-specific here.
import { createReadStream } from "node:fs";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { Socket } from "node:net";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GlacierApiError } from "./api-error.ts";
import { type EmuRequest, type EmuResponse, errorResponse, isFileSlice } from "./http.ts";
import type { RequestLog } from "./request-log.ts";
import type { Router } from "./router.ts";
import { isoMillis } from "./time.ts";

const UNREAD_BODY_LIMIT = 8 * 1024 * 1024;

function toEmuRequest(req: IncomingMessage): EmuRequest {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(",") : value;
  // The IncomingMessage itself is the body: no wrapper on the hot path (64 KiB chunks, 16k per GiB).
  return { method: req.method ?? "GET", path: q < 0 ? url : url.slice(0, q), rawQuery: q < 0 ? "" : url.slice(q + 1), headers, body: req };
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
      if (sent >= limit) return done();
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
        copy[at - seen] = copy[at - seen]! ^ 0xff;
        chunk = copy;
      }
      seen += chunk.length;
      done(null, chunk);
    },
  });
}

async function send(res: ServerResponse, response: EmuResponse): Promise<number> {
  const transport = response.transport;
  if (transport?.kind === "reset-before") {
    reset(res.socket);
    return 0;
  }
  res.writeHead(response.status, response.headers);
  const body = response.body;
  if (body === undefined || (isFileSlice(body) && body.length === 0)) {
    res.end();
    return 0;
  }
  const length = Buffer.isBuffer(body) ? body.length : body.length;
  const source = isFileSlice(body)
    ? createReadStream(body.path, { start: body.start, end: body.start + body.length - 1, highWaterMark: 1024 * 1024 })
    : Readable.from([body]);
  const stages: NodeJS.ReadWriteStream[] = [];
  const half = Math.floor(length / 2);
  if (transport?.kind === "reset-mid-body") stages.push(cutAfter(half, () => reset(res.socket)));
  if (transport?.kind === "truncate") stages.push(cutAfter(half, () => res.socket?.end()));
  if (transport?.kind === "corrupt") stages.push(corruptAt(half));
  await pipeline([source, ...stages, res] as NodeJS.ReadWriteStream[]).catch(() => undefined);
  return transport?.kind === "reset-mid-body" || transport?.kind === "truncate" ? half : length;
}

/** Which archive and which bytes a request was about, for the request log (reliability checks). */
function requestDetail(headers: Record<string, string | undefined>): { description?: string; range?: string } {
  const description = headers["x-amz-archive-description"];
  const range = headers["content-range"] ?? headers["range"];
  return { ...(description !== undefined ? { description } : {}), ...(range !== undefined ? { range } : {}) };
}

export function createHttpServer(router: Router, log: RequestLog, now: () => number): Server {
  const server = createServer({ keepAlive: true }, (req, res) => {
    // Bytes read on this connection for this request (headers included: a log figure, not billing).
    const readBefore = req.socket.bytesRead;
    const emuReq = toEmuRequest(req);
    void router(emuReq).then(async (response) => {
      // glacier-api.md 6: "drain or close when rejecting a request before reading its body": Node
      // drains what is left; a large remainder is not worth reading, so the connection is closed.
      if (!req.complete && Number(req.headers["content-length"] ?? 0) > UNREAD_BODY_LIMIT) {
        response.headers["Connection"] = "close";
      }
      const bytesOut = await send(res, response);
      log.add({
        time: isoMillis(now()), method: emuReq.method, path: emuReq.path, operation: response.operation ?? "Unknown",
        status: response.status, bytesIn: req.socket.bytesRead - readBefore, bytesOut, faults: (response.faults ?? []).map((f) => f.kind),
        ...requestDetail(emuReq.headers),
      });
    }).catch(() => res.socket?.destroy());
  });
  // Malformed requests, oversized headers: Glacier's error JSON when the socket can still take it,
  // otherwise a closed connection (issue 3 item 9); the server keeps serving.
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writable && error.code !== "ECONNRESET") {
      const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
      const reply = errorResponse(new GlacierApiError("BadRequest", status === 431 ? "Request headers are too large" : "Malformed HTTP request", status));
      const head = Object.entries({ ...reply.headers, Connection: "close" }).map(([k, v]) => `${k}: ${v}`).join("\r\n");
      socket.end(`HTTP/1.1 ${status} ${status === 431 ? "Request Header Fields Too Large" : "Bad Request"}\r\n${head}\r\n\r\n${reply.body!.toString()}`);
    } else {
      socket.destroy();
    }
  });
  return server;
}
