import { Readable } from "node:stream";
// Signed aws-chunked uploads checked against the worked examples of the S3 API reference
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and sigv4-streaming-trailers.html):
// 65,536 + 1,024 bytes of "a", the documented seed and chunk signatures.
import { describe, expect, it } from "vitest";
import type { EmuRequest } from "../http.ts";
import { authenticateS3 } from "./auth.ts";
import { decodeAwsChunked } from "./aws-chunked.ts";
import { S3Error } from "./errors.ts";

const CONFIG = {
  mode: "strict" as const,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
};
const DOC_TIME = Date.UTC(2013, 4, 24);

const EXAMPLES = {
  plain: {
    payload: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    signed:
      "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;" +
      "x-amz-decoded-content-length;x-amz-storage-class",
    seed: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
    chunks: [
      "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
      "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
      "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
    ],
    trailer: "",
  },
  trailer: {
    payload: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    signed:
      "content-encoding;host;x-amz-content-sha256;x-amz-date;" +
      "x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer",
    seed: "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
    chunks: [
      "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
      "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
      "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
    ],
    trailer:
      "x-amz-checksum-crc32c:sOO8/Q==\r\n" +
      "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n",
  },
};

function documented(kind: keyof typeof EXAMPLES, tamper?: (body: Buffer) => void): EmuRequest {
  const e = EXAMPLES[kind];
  const body = Buffer.concat([
    Buffer.from(`10000;chunk-signature=${e.chunks[0]}\r\n`),
    Buffer.alloc(65_536, "a"),
    Buffer.from(`\r\n400;chunk-signature=${e.chunks[1]}\r\n`),
    Buffer.alloc(1024, "a"),
    Buffer.from(`\r\n0;chunk-signature=${e.chunks[2]}\r\n${e.trailer}\r\n`),
  ]);
  tamper?.(body);
  return {
    method: "PUT",
    path: "/examplebucket/chunkObject.txt",
    rawQuery: "",
    headers: {
      "content-encoding": "aws-chunked",
      "content-length": String(body.length),
      host: "s3.amazonaws.com",
      "x-amz-content-sha256": e.payload,
      "x-amz-date": "20130524T000000Z",
      "x-amz-decoded-content-length": "66560",
      "x-amz-storage-class": "REDUCED_REDUNDANCY",
      ...(kind === "trailer" ? { "x-amz-trailer": "x-amz-checksum-crc32c" } : {}),
      authorization:
        `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=` +
        `${e.signed},Signature=${e.seed}`,
    },
    body: Readable.from([body]),
  };
}

async function readAll(req: EmuRequest): Promise<{ size: number; trailers: Record<string, string> }> {
  const payload = authenticateS3(req, CONFIG, DOC_TIME);
  if (payload.kind !== "chunked") throw new Error("not chunked");
  const decoded = decodeAwsChunked(req.body, payload.signed, payload.verifier);
  let size = 0;
  for await (const chunk of decoded.data) size += chunk.length;
  return { size, trailers: decoded.trailers };
}

describe("signed aws-chunked bodies in strict auth", () => {
  it("accepts the documented chunked upload and decodes 66,560 bytes", async () => {
    expect(await readAll(documented("plain"))).toEqual({ size: 66_560, trailers: {} });
  });

  it("accepts the documented chunked upload with a signed trailing CRC32C", async () => {
    expect(await readAll(documented("trailer"))).toEqual({
      size: 66_560,
      trailers: { "x-amz-checksum-crc32c": "sOO8/Q==" },
    });
  });

  it("refuses a body whose data was changed after signing, and a changed trailer", async () => {
    const flipped = documented("plain", (body) => {
      body[30_000] = 0x62;
    });
    await expect(readAll(flipped)).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
    const trailer = documented("trailer", (body) => {
      body.write("sOO9", body.indexOf("sOO8"));
    });
    await expect(readAll(trailer)).rejects.toBeInstanceOf(S3Error);
  });

  it("refuses the documented request once the seed signature does not match its headers", () => {
    const req = documented("plain");
    req.headers["x-amz-storage-class"] = "STANDARD";
    expect(() => authenticateS3(req, CONFIG, DOC_TIME)).toThrow(
      expect.objectContaining({ code: "SignatureDoesNotMatch" }) as Error,
    );
    expect(() => authenticateS3(documented("plain"), CONFIG, DOC_TIME + 3_600_000)).toThrow(
      expect.objectContaining({ code: "RequestTimeTooSkewed" }) as Error,
    );
  });
});
