// Who may call S3, and how the body is framed. Same modes as the Glacier side (../sigv4.ts): "off",
// "any-key" (a well-formed Authorization header, signature not checked) and "strict" (the configured
// key pair, credential scope service "s3" in any region, time within 15 minutes, signature checked).
// S3 also takes:
// - x-amz-content-sha256: a hex SHA-256 of the body (checked once received), UNSIGNED-PAYLOAD, or a
//   STREAMING-* aws-chunked body (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html);
//   in strict mode each signed chunk's signature is checked against the chain from the seed signature;
// - Signature Version 2 ("AWS AKID:signature", HMAC-SHA1), which git-annex's S3 remote sends by default
//   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html).
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { GlacierApiError } from "../api-error.ts";
import type { EmuRequest } from "../http.ts";
import {
  type AuthConfig,
  SignatureRefused,
  expectedSignature,
  parseAuthorization,
  requestDate,
  signingKey,
} from "../sigv4.ts";
import type { ChunkVerifier } from "./aws-chunked.ts";
import { S3Error } from "./errors.ts";
import { defined } from "../../core/errors.ts";

export type Payload =
  | { kind: "unsigned" }
  | { kind: "sha256"; hex: string }
  | { kind: "chunked"; signed: boolean; trailer: boolean; verifier?: ChunkVerifier };

const EMPTY_SHA256 = createHash("sha256").update("").digest("hex");
const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

const STREAMING: Record<string, { signed: boolean; trailer: boolean }> = {
  "STREAMING-UNSIGNED-PAYLOAD-TRAILER": { signed: false, trailer: true },
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD": { signed: true, trailer: false },
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER": { signed: true, trailer: true },
};

/** How the body comes, per x-amz-content-sha256 and Content-Encoding. */
function payloadOf(req: EmuRequest): Payload {
  const declared = req.headers["x-amz-content-sha256"]?.trim();
  const streaming = declared !== undefined ? STREAMING[declared] : undefined;
  if (streaming) return { kind: "chunked", ...streaming };
  if (declared !== undefined && declared.startsWith("STREAMING-"))
    throw new S3Error(
      "InvalidArgument",
      `x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-... or a SHA-256 value: ${declared}`,
    );
  const encodings = (req.headers["content-encoding"] ?? "").split(",").map((e) => e.trim());
  if (encodings.includes("aws-chunked"))
    return { kind: "chunked", signed: false, trailer: req.headers["x-amz-trailer"] !== undefined };
  if (declared === undefined || declared === "UNSIGNED-PAYLOAD") return { kind: "unsigned" };
  if (!/^[0-9a-fA-F]{64}$/.test(declared))
    throw new S3Error(
      "InvalidArgument",
      `x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-... or a SHA-256 value: ${declared}`,
    );
  return { kind: "sha256", hex: declared.toLowerCase() };
}

/** Glacier-shaped auth errors (parseAuthorization) as S3 names them. */
function asS3(error: unknown): unknown {
  if (!(error instanceof GlacierApiError)) return error;
  if (error.code === "MissingAuthenticationTokenException") return new S3Error("AccessDenied", "Access Denied");
  if (error.code === "UnrecognizedClientException")
    return new S3Error("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
  if (error instanceof SignatureRefused && error.failure === "expired")
    return new S3Error(
      "RequestTimeTooSkewed",
      "The difference between the request time and the current time is too large.",
    );
  const mismatch = error instanceof SignatureRefused;
  return new S3Error(
    mismatch ? "SignatureDoesNotMatch" : "AuthorizationHeaderMalformed",
    error.message,
    {},
    mismatch ? 403 : 400,
  );
}

/** Checks the request's credentials per the mode; returns how its body comes (and checks it). */
export function authenticateS3(req: EmuRequest, config: AuthConfig, wallNow: number): Payload {
  const payload = payloadOf(req);
  if (config.mode === "off") return payload;
  const header = req.headers["authorization"] ?? "";
  if (header.startsWith("AWS ")) {
    if (config.mode === "strict") checkV2(req, header, config);
    return payload;
  }
  if (header === "" && new URLSearchParams(req.rawQuery).has("X-Amz-Signature")) {
    if (config.mode === "strict")
      throw new S3Error("AccessDenied", "Presigned URLs are not accepted in strict auth mode");
    return payload;
  }
  try {
    const auth = parseAuthorization(req);
    if (config.mode === "any-key") return payload;
    const creds = config.credentials;
    if (!creds || auth.accessKeyId !== creds.accessKeyId)
      throw new S3Error("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
    // Any region: clients that derive it from the endpoint's host name (git-annex's S3 remote signs
    // for 127.0.0.1) are still checked, against the scope they declared.
    if (auth.service !== "s3") {
      throw new S3Error(
        "AuthorizationHeaderMalformed",
        `The authorization header is malformed; the credential scope must name the service s3, not ${auth.service}`,
      );
    }
    const amzDate = defined(requestDate(req), "requestDate(req)");
    const signedAt = Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
    if (Math.abs(signedAt - wallNow) > 15 * 60_000)
      throw new S3Error(
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
      );
    const declared = req.headers["x-amz-content-sha256"];
    if (declared === undefined)
      throw new S3Error("InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
    // The Haskell aws library (git-annex) signs the host name without the port it sends in Host.
    const hostOnly = { ...req, headers: { ...req.headers, host: (req.headers["host"] ?? "").replace(/:\d+$/, "") } };
    const matches = [req, hostOnly].some((r) =>
      [true, false].some(
        (collapse) => expectedSignature(r, auth, creds.secretAccessKey, declared, collapse) === auth.signature,
      ),
    );
    if (!matches) {
      throw new S3Error(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and " +
          "signing method.",
      );
    }
    if (payload.kind !== "chunked" || !payload.signed) return payload;
    const key = signingKey(creds.secretAccessKey, auth);
    const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
    let previous = auth.signature;
    const check = (kind: string, signature: string, hash: string[]) => {
      const expected = createHmac("sha256", key)
        .update([kind, amzDate, scope, previous, ...hash].join("\n"))
        .digest("hex");
      if (expected !== signature)
        throw new S3Error(
          "SignatureDoesNotMatch",
          "The chunk signature we calculated does not match the signature you provided.",
        );
      previous = signature;
    };
    return {
      ...payload,
      verifier: {
        chunk: (signature, data) => {
          check("AWS4-HMAC-SHA256-PAYLOAD", signature, [EMPTY_SHA256, sha256Hex(data)]);
        },
        trailer: (signature, text) => {
          check("AWS4-HMAC-SHA256-TRAILER", signature, [sha256Hex(text)]);
        },
      },
    };
  } catch (error) {
    throw asS3(error);
  }
}

// Sub-resources that are part of a SigV2 CanonicalizedResource.
const V2_SUBRESOURCES = new Set([
  "acl",
  "cors",
  "delete",
  "lifecycle",
  "location",
  "logging",
  "notification",
  "partNumber",
  "policy",
  "requestPayment",
  "restore",
  "tagging",
  "torrent",
  "uploadId",
  "uploads",
  "versionId",
  "versioning",
  "versions",
  "website",
  "response-cache-control",
  "response-content-disposition",
  "response-content-encoding",
  "response-content-language",
  "response-content-type",
  "response-expires",
]);

function checkV2(req: EmuRequest, header: string, config: AuthConfig): void {
  const m = /^AWS ([^:\s]+):(\S+)$/.exec(header.trim());
  if (!m)
    throw new S3Error("InvalidArgument", "Authorization header is invalid -- one and only one ' ' (space) required");
  if (!config.credentials || m[1] !== config.credentials.accessKeyId)
    throw new S3Error("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
  const h = req.headers;
  const amz = Object.keys(h)
    .filter((n) => n.startsWith("x-amz-"))
    .sort()
    .map((n) => `${n}:${(h[n] ?? "").trim()}\n`)
    .join("");
  const sub = new URLSearchParams(req.rawQuery);
  const subresources = [...sub.keys()]
    .filter((k) => V2_SUBRESOURCES.has(k))
    .sort()
    .map((k) => (sub.get(k) === "" && !new RegExp(`(^|&)${k}=`).test(req.rawQuery) ? k : `${k}=${sub.get(k)}`));
  const host = (h["host"] ?? "").replace(/:\d+$/, "");
  const bucket = virtualBucket(host);
  const resource =
    `${bucket === undefined ? "" : `/${bucket}`}${req.path}` +
    (subresources.length > 0 ? `?${subresources.join("&")}` : "");
  const date = h["x-amz-date"] !== undefined ? "" : (h["date"] ?? "");
  const toSign = [req.method, h["content-md5"] ?? "", h["content-type"] ?? "", date, `${amz}${resource}`].join("\n");
  const expected = createHmac("sha1", config.credentials.secretAccessKey).update(toSign).digest();
  const given = Buffer.from(defined(m[2], "m[2]"), "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new S3Error(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your key and " +
        "signing method.",
    );
  }
}

/**
 * The bucket named by a virtual-hosted Host (bucket.localhost, bucket.s3.localhost,
 * bucket.s3.us-east-1.amazonaws.com); undefined for path-style hosts (IP addresses, localhost, s3.localhost).
 */
export function virtualBucket(hostname: string): string | undefined {
  const host = hostname.toLowerCase();
  const aws = /^(.+)\.s3(?:[.-][a-z0-9-]+)?(?:\.dualstack\.[a-z0-9-]+)?\.amazonaws\.com$/.exec(host);
  if (aws) return aws[1];
  const local = /^(.+?)(?:\.s3)?\.localhost$/.exec(host);
  if (local && local[1] !== "s3") return local[1];
  return undefined;
}
