// What an S3 operation handler gets, and the response helpers the handlers share.
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { EmulatorEnv } from "../env.ts";
import type { EmuRequest, EmuResponse } from "../http.ts";
import { newRequestId } from "../ids.ts";
import type { EmulatorState } from "../state.ts";
import type { Payload } from "./auth.ts";
import type { BodyHashing } from "./body-digests.ts";
import type { S3State } from "./model.ts";
import { receiveBody } from "./receive.ts";
import type { RestoreDelays } from "./restore.ts";
import { type XmlFields, xmlDocument } from "./xml.ts";

export interface S3Context {
  env: EmulatorEnv;
  req: EmuRequest;
  /** Decoded bucket name and object key ("" when the request has none). */
  bucket: string;
  key: string;
  query: URLSearchParams;
  payload: Payload;
  /** The region the request was signed for (a new bucket's region). */
  region: string;
  restoreDelays: RestoreDelays;
  /** Where object and part bodies are hashed. */
  hashing: BodyHashing;
}

export type S3Handler = (ctx: S3Context) => Promise<EmuResponse>;

/** The S3 records of a state, created when a transaction may write. */
export function s3Of(state: EmulatorState & { s3?: S3State }): S3State {
  return (state.s3 ??= { buckets: {}, uploads: {} });
}

export const objectsDir = (env: EmulatorEnv) => join(env.store.dir, "s3", "objects");
export const objectPath = (env: EmulatorEnv, file: string) => join(objectsDir(env), file);
export const uploadDir = (env: EmulatorEnv, id: string) => join(env.store.dir, "s3", "uploads", id);

export async function ensureDirs(env: EmulatorEnv): Promise<void> {
  await Promise.all([
    mkdir(objectsDir(env), { recursive: true }),
    mkdir(join(env.store.dir, "s3", "uploads"), { recursive: true }),
  ]);
}

function baseHeaders(): Record<string, string> {
  const id = newRequestId().slice(0, 16).toUpperCase();
  return { "x-amz-request-id": id, "x-amz-id-2": id, Date: new Date().toUTCString() };
}

export function xmlResponse(
  status: number,
  root: string,
  fields: XmlFields,
  headers: Record<string, string> = {},
): EmuResponse {
  const body = xmlDocument(root, fields);
  return {
    status,
    headers: { ...baseHeaders(), "Content-Type": "application/xml", "Content-Length": String(body.length), ...headers },
    body,
  };
}

export function s3Empty(status: number, headers: Record<string, string> = {}): EmuResponse {
  return { status, headers: { ...baseHeaders(), "Content-Length": "0", ...headers } };
}

export function s3Body(
  status: number,
  body: EmuResponse["body"] & object,
  headers: Record<string, string>,
): EmuResponse {
  return { status, headers: { ...baseHeaders(), ...headers, "Content-Length": String(body.length) }, body };
}

/** A small request body (XML parameters), with its Content-MD5 and checksums checked like any body. */
export async function readSmallBody(ctx: S3Context, objectChecksumHeaders = false): Promise<string> {
  const tmp = ctx.env.store.tmpPath("s3-request");
  try {
    await receiveBody(ctx.req, ctx.payload, tmp, { maxBytes: 2 * 1024 * 1024, objectChecksumHeaders });
    return await readFile(tmp, "utf8");
  } finally {
    await rm(tmp, { force: true });
  }
}

export const isoDate = (ms: number) => new Date(ms).toISOString();
export const httpDate = (ms: number) => new Date(ms).toUTCString();
export const quoteEtag = (hex: string) => `"${hex}"`;
export const OWNER = {
  ID: "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a",
  DisplayName: "emulator",
};
