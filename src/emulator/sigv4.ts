// SigV4 checks (docs/glacier-api.md#signing). Modes:
//  off      no check at all;
//  any-key  the Authorization header must be a well-formed AWS4-HMAC-SHA256 header whose
//           credential scope is internally consistent (date matches x-amz-date, terminator
//           aws4_request) and signs host; any access key, region and service are accepted,
//           because boto 2 derives its scope from the host name (127.0.0.1 -> region "0",
//           service "127", docs/glacier-api.md#signing). The signature itself is not checked;
//  strict   a configured key pair: unknown key -> UnrecognizedClientException, scope must be
//           {date}/{region}/glacier/aws4_request (region: any AWS region, or the configured one),
//           x-amz-date within 15 minutes of the wall clock,
//           and the signature must match (both header canonical forms are tried, since boto 2 does
//           not collapse inner spaces of values that contain a quote).
import { createHash, createHmac } from "node:crypto";
import { GlacierApiError } from "./api-error.ts";
import type { EmuRequest } from "./http.ts";
import { isAwsRegion } from "./aws-region.ts";
import { defined } from "../core/errors.ts";

export type AuthMode = "off" | "any-key" | "strict";

/**
 * A signature refused because it is too old or does not match what was signed: Glacier says
 * InvalidSignatureException for both, S3 names them apart (s3/auth.ts), by `failure`.
 */
export class SignatureRefused extends GlacierApiError {
  constructor(
    readonly failure: "expired" | "mismatch",
    message: string,
  ) {
    super("InvalidSignatureException", message);
  }
}

export interface AuthConfig {
  mode: AuthMode;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH_RE = new RegExp(
  [
    /^AWS4-HMAC-SHA256\s+/.source,
    /Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request\s*,\s*/.source,
    /SignedHeaders=([a-z0-9;-]+)\s*,\s*/.source,
    /Signature=([0-9a-f]{64})$/.source,
  ].join(""),
);

const denied = (
  code:
    | "InvalidSignatureException"
    | "MissingAuthenticationTokenException"
    | "UnrecognizedClientException"
    | "AccessDeniedException",
  message: string,
) => new GlacierApiError(code, message);

export function parseAuthorization(req: EmuRequest): ParsedAuthorization {
  const header = req.headers["authorization"];
  if (header === undefined) throw denied("MissingAuthenticationTokenException", "Missing Authentication Token");
  const m = AUTH_RE.exec(header.trim());
  if (!m)
    throw denied(
      "InvalidSignatureException",
      "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters of the " +
        "AWS4-HMAC-SHA256 algorithm",
    );
  const parsed = {
    accessKeyId: defined(m[1], "m[1]"),
    date: defined(m[2], "m[2]"),
    region: defined(m[3], "m[3]"),
    service: defined(m[4], "m[4]"),
    signedHeaders: defined(m[5], "m[5]").split(";"),
    signature: defined(m[6], "m[6]"),
  };
  const amzDate = requestDate(req);
  if (amzDate === undefined) throw denied("InvalidSignatureException", "Missing x-amz-date or Date header");
  if (!amzDate.startsWith(parsed.date))
    throw new SignatureRefused(
      "mismatch",
      `Credential should be scoped to a valid date: ${parsed.date} does not match ${amzDate.slice(0, 8)}`,
    );
  if (!parsed.signedHeaders.includes("host"))
    throw denied("InvalidSignatureException", "The host header must be signed");
  for (const name of parsed.signedHeaders) {
    if (req.headers[name] === undefined)
      throw denied("InvalidSignatureException", `Signed header ${name} is missing from the request`);
  }
  return parsed;
}

/** x-amz-date as YYYYMMDDTHHMMSSZ, or the RFC 1123 Date header converted to that form. */
export function requestDate(req: EmuRequest): string | undefined {
  const amz = req.headers["x-amz-date"];
  if (amz !== undefined) return /^\d{8}T\d{6}Z$/.test(amz) ? amz : undefined;
  const date = req.headers["date"];
  if (date === undefined || Number.isNaN(Date.parse(date))) return undefined;
  return new Date(date)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === "") return "";
  return rawQuery
    .split("&")
    .filter((p) => p !== "")
    .map((pair) => {
      const at = pair.indexOf("=");
      const key = decodeURIComponent((at < 0 ? pair : pair.slice(0, at)).replace(/\+/g, "%20"));
      const value = at < 0 ? "" : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, "%20"));
      return [rfc3986(key), rfc3986(value)] as const;
    })
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();
const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** The signature a client holding `secret` computes for this request (one header canonical form). */
export function expectedSignature(
  req: EmuRequest,
  auth: ParsedAuthorization,
  secret: string,
  payloadHash: string,
  collapse: boolean,
): string {
  const headers = auth.signedHeaders
    .map((name) => {
      const value = (req.headers[name] ?? "").trim();
      return `${name}:${collapse ? value.replace(/\s+/g, " ") : value}\n`;
    })
    .join("");
  const canonical = [
    req.method,
    req.path,
    canonicalQuery(req.rawQuery),
    headers,
    auth.signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", defined(requestDate(req), "requestDate(req)"), scope, sha256Hex(canonical)].join(
    "\n",
  );
  return createHmac("sha256", signingKey(secret, auth)).update(toSign).digest("hex");
}

/** The SigV4 signing key of a credential scope (also what signs S3's streaming chunks). */
export function signingKey(secret: string, scope: { date: string; region: string; service: string }): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, scope.date), scope.region), scope.service), "aws4_request");
}

/**
 * Checks the request per the mode. `bufferBody` is called (strict mode only) when the client did not
 * send x-amz-content-sha256: the small body is then read to hash it. `wallNow` is real time (the
 * emulator clock may have been advanced by days; clients sign with real time).
 */
export async function authenticate(
  req: EmuRequest,
  config: AuthConfig,
  wallNow: number,
  bufferBody: () => Promise<Buffer>,
): Promise<void> {
  if (config.mode === "off") return;
  const auth = parseAuthorization(req);
  if (config.mode === "any-key") return;
  const creds = config.credentials;
  if (!creds || auth.accessKeyId !== creds.accessKeyId)
    throw denied("UnrecognizedClientException", "The security token included in the request is invalid.");
  // One URL serves every region (regions.ts): any AWS region is valid, and the configured one.
  if (auth.service !== "glacier" || (auth.region !== config.region && !isAwsRegion(auth.region))) {
    throw denied(
      "InvalidSignatureException",
      `Credential should be scoped to a valid region and service: expected an AWS region or ${config.region}` +
        `, and glacier; got ${auth.region}/${auth.service}`,
    );
  }
  const signedAt = Date.parse(
    defined(requestDate(req), "requestDate(req)").replace(
      /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/,
      "$1-$2-$3T$4:$5:$6Z",
    ),
  );
  if (Math.abs(signedAt - wallNow) > 15 * 60_000) {
    throw new SignatureRefused(
      "expired",
      "Signature expired: the request time is more than 15 minutes away from the server time",
    );
  }
  const payloadHash = req.headers["x-amz-content-sha256"] ?? sha256Hex(await bufferBody());
  for (const collapse of [true, false]) {
    if (expectedSignature(req, auth, creds.secretAccessKey, payloadHash, collapse) === auth.signature) return;
  }
  throw new SignatureRefused(
    "mismatch",
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret " +
      "Access Key and signing method.",
  );
}
