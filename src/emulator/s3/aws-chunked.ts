// Content-Encoding: aws-chunked request bodies
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and sigv4-streaming-trailers.html):
//   <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n
//   [<trailer name>:<value>\r\n ... [x-amz-trailer-signature:<sig>\r\n]]\r\n
// AWS SDK v3 and recent AWS CLIs send uploads this way with a trailing checksum
// (STREAMING-UNSIGNED-PAYLOAD-TRAILER); signed variants carry a signature per chunk, chained from
// the request's own signature, which `verifier` checks when given.
import { S3Error } from "./errors.ts";
import { defined } from "../../core/errors.ts";

export interface ChunkVerifier {
  /** Called with each chunk's signature and its data's SHA-256 (hex), in order; throws when wrong. */
  chunk(signature: string, data: Buffer): void;
  /** Called with the trailer's signature and the trailer lines as signed ("name:value\n" each). */
  trailer(signature: string, text: string): void;
}

export interface DecodedBody {
  data: AsyncIterable<Uint8Array>;
  /** Filled once `data` has been read to its end. */
  trailers: Record<string, string>;
}

const incomplete = () => new S3Error("IncompleteBody", "The request body terminated unexpectedly");
const bad = (what: string) => new S3Error("InvalidArgument", `Malformed aws-chunked body: ${what}`);

/** Strips the aws-chunked framing; `signed`: every chunk header must carry a chunk-signature. */
export function decodeAwsChunked(
  body: AsyncIterable<Uint8Array>,
  signed: boolean,
  verifier?: ChunkVerifier,
): DecodedBody {
  const trailers: Record<string, string> = {};
  async function* data(): AsyncGenerator<Uint8Array> {
    let pending: Buffer = Buffer.alloc(0);
    let remaining = 0;
    let inData = false;
    let signature = "";
    let chunkParts: Buffer[] = [];
    let finished = false;
    const trailerLines: string[] = [];
    let trailerSignature: string | undefined;
    let inTrailer = false;
    for await (const piece of body) {
      pending =
        pending.length === 0
          ? Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)
          : Buffer.concat([pending, piece]);
      while (pending.length > 0 && !finished) {
        if (inData) {
          if (remaining > 0) {
            const take = pending.subarray(0, Math.min(remaining, pending.length));
            pending = pending.subarray(take.length);
            remaining -= take.length;
            if (verifier) chunkParts.push(take);
            yield take;
            continue;
          }
          if (pending.length < 2) break;
          if (pending[0] !== 0x0d || pending[1] !== 0x0a) throw bad("chunk data not followed by CRLF");
          pending = pending.subarray(2);
          inData = false;
          if (verifier) verifier.chunk(signature, Buffer.concat(chunkParts));
          chunkParts = [];
          continue;
        }
        const eol = pending.indexOf("\r\n");
        if (eol < 0) {
          if (pending.length > 4096) throw bad("header line too long");
          break;
        }
        const line = pending.subarray(0, eol).toString("latin1");
        pending = pending.subarray(eol + 2);
        if (inTrailer) {
          if (line === "") {
            finished = true;
            break;
          }
          const colon = line.indexOf(":");
          if (colon < 0) throw bad(`trailer line without a colon`);
          const name = line.slice(0, colon).trim().toLowerCase();
          const value = line.slice(colon + 1).trim();
          if (name === "x-amz-trailer-signature") trailerSignature = value;
          else {
            trailers[name] = value;
            trailerLines.push(`${name}:${value}\n`);
          }
          continue;
        }
        const m = /^([0-9a-fA-F]+)(?:;chunk-signature=([0-9a-f]{64}))?$/.exec(line);
        if (!m) throw bad(`chunk header "${line.slice(0, 100)}"`);
        if (signed && m[2] === undefined) throw bad("chunk without chunk-signature");
        remaining = parseInt(defined(m[1], "m[1]"), 16);
        signature = m[2] ?? "";
        if (remaining === 0) {
          if (verifier) verifier.chunk(signature, Buffer.alloc(0));
          inTrailer = true;
        } else inData = true;
      }
      if (finished && pending.length > 0) throw bad("bytes after the final chunk");
    }
    if (!finished) throw incomplete();
    if (verifier && trailerSignature !== undefined) verifier.trailer(trailerSignature, trailerLines.join(""));
  }
  return { data: data(), trailers };
}
