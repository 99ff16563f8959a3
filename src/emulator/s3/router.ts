// The S3 side of the emulator: (EmuRequest) -> EmuResponse for every request that is not Glacier's.
// Addressing (path-style /bucket/key, or virtual-hosted Host: bucket.localhost[:port] /
// bucket.s3.localhost / bucket.s3.REGION.amazonaws.com), auth, fault injection, dispatch by method,
// path and sub-resource, S3's XML errors. Never throws.
import { setTimeout as sleep } from "node:timers/promises";
import type { EmulatorEnv } from "../env.ts";
import type { FaultInjector, FaultSpec } from "../faults.ts";
import type { EmuRequest, EmuResponse } from "../http.ts";
import { requestRegion } from "../regions.ts";
import { applyResponseFaults, consumeHalf } from "../router.ts";
import type { AuthConfig } from "../sigv4.ts";
import { authenticateS3, virtualBucket } from "./auth.ts";
import type { BodyHashing } from "./body-digests.ts";
import { type S3Context, type S3Handler, ensureDirs } from "./context.ts";
import { s3ErrorResponse } from "./error-reply.ts";
import { S3Error } from "./errors.ts";
import * as buckets from "./ops-buckets.ts";
import * as deletes from "./ops-delete.ts";
import * as list from "./ops-list.ts";
import * as multipart from "./ops-multipart.ts";
import * as objects from "./ops-objects.ts";
import { RestoreObject } from "./ops-restore.ts";
import * as versions from "./ops-versions.ts";
import type { RestoreDelays } from "./restore.ts";

export interface S3RouterOptions {
  env: EmulatorEnv;
  auth: AuthConfig;
  faults: FaultInjector;
  restoreDelays: RestoreDelays;
  hashing: BodyHashing;
}

const SCOPE_SERVICE = /Credential=[^/\s,]+\/\d{8}\/[^/\s,]+\/([^/\s,]+)\//;

/**
 * Whether a request is for S3 rather than Glacier: the signing scope's service when there is one
 * (s3 or glacier), else Glacier's marks (x-amz-glacier-version, a path under /{account-id} or /-),
 * else S3.
 */
export function isS3Request(req: EmuRequest): boolean {
  const service =
    SCOPE_SERVICE.exec(req.headers["authorization"] ?? "")?.[1] ??
    /(?:^|&)X-Amz-Credential=[^&]*?%2F([a-z0-9-]+)%2Faws4_request/i.exec(req.rawQuery)?.[1];
  if (service === "s3") return true;
  if (service === "glacier" || req.headers["x-amz-glacier-version"] !== undefined) return false;
  if (virtualBucket((req.headers["host"] ?? "").replace(/:\d+$/, "")) !== undefined) return true;
  const first = req.path.split("/")[1] ?? "";
  return first !== "-" && !/^\d{12}$/.test(first);
}

type Route = [operation: string, handler: S3Handler];

const notImplemented = (what: string): Route => [
  "NotImplemented",
  () => Promise.reject(new S3Error("NotImplemented", `${what} is not implemented by the emulator`)),
];
const BUCKET_SUBRESOURCES = [
  "acl",
  "cors",
  "lifecycle",
  "policy",
  "tagging",
  "versioning",
  "versions",
  "website",
  "logging",
  "notification",
  "encryption",
  "object-lock",
  "replication",
  "accelerate",
  "requestPayment",
  "ownershipControls",
  "publicAccessBlock",
  "intelligent-tiering",
  "inventory",
  "metrics",
  "analytics",
];

function route(method: string, bucket: string, key: string, q: URLSearchParams): Route | undefined {
  if (bucket === "") return method === "GET" ? ["ListBuckets", buckets.ListBuckets] : undefined;
  if (key === "") {
    if (q.has("versioning") && method === "PUT") return ["PutBucketVersioning", versions.PutBucketVersioning];
    if (q.has("versioning") && method === "GET") return ["GetBucketVersioning", versions.GetBucketVersioning];
    if (q.has("versions") && method === "GET") return ["ListObjectVersions", versions.ListObjectVersions];
    const sub = BUCKET_SUBRESOURCES.find((s) => q.has(s));
    if (sub !== undefined) return notImplemented(`The bucket ${sub} sub-resource`);
    switch (method) {
      case "PUT":
        return ["CreateBucket", buckets.CreateBucket];
      case "HEAD":
        return ["HeadBucket", buckets.HeadBucket];
      case "DELETE":
        return ["DeleteBucket", buckets.DeleteBucket];
      case "POST":
        return q.has("delete") ? ["DeleteObjects", deletes.DeleteObjects] : undefined;
      case "GET":
        if (q.has("location")) return ["GetBucketLocation", buckets.GetBucketLocation];
        if (q.has("uploads")) return ["ListMultipartUploads", multipart.ListMultipartUploads];
        return q.get("list-type") === "2" ? ["ListObjectsV2", list.ListObjectsV2] : ["ListObjects", list.ListObjects];
      default:
        return undefined;
    }
  }
  if (["acl", "tagging", "retention", "legal-hold", "torrent", "attributes", "select"].some((s) => q.has(s)))
    return notImplemented("This object sub-resource");
  switch (method) {
    case "PUT":
      return q.has("uploadId") ? ["UploadPart", multipart.UploadPart] : ["PutObject", objects.PutObject];
    case "POST":
      if (q.has("uploads")) return ["CreateMultipartUpload", multipart.CreateMultipartUpload];
      if (q.has("uploadId")) return ["CompleteMultipartUpload", multipart.CompleteMultipartUpload];
      return q.has("restore") ? ["RestoreObject", RestoreObject] : undefined;
    case "GET":
      return q.has("uploadId") ? ["ListParts", multipart.ListParts] : ["GetObject", objects.GetObject];
    case "HEAD":
      return ["HeadObject", objects.HeadObject];
    case "DELETE":
      return q.has("uploadId")
        ? ["AbortMultipartUpload", multipart.AbortMultipartUpload]
        : ["DeleteObject", deletes.DeleteObject];
    default:
      return undefined;
  }
}

/** Bucket and key of a request, per its addressing style. */
function address(req: EmuRequest): { bucket: string; key: string } {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    throw new S3Error("InvalidURI", "Couldn't parse the specified URI.");
  }
  const hosted = virtualBucket((req.headers["host"] ?? "").replace(/:\d+$/, ""));
  if (hosted !== undefined) return { bucket: hosted, key: path.slice(1) };
  const slash = path.indexOf("/", 1);
  return slash < 0 ? { bucket: path.slice(1), key: "" } : { bucket: path.slice(1, slash), key: path.slice(slash + 1) };
}

const FAULT_ERRORS: Partial<Record<FaultSpec["kind"], () => S3Error>> = {
  throttle: () => new S3Error("SlowDown", "Please reduce your request rate."),
  "500": () => new S3Error("InternalError", "We encountered an internal error. Please try again."),
  "503": () => new S3Error("ServiceUnavailable", "Service is unable to handle request."),
  "408": () =>
    new S3Error(
      "RequestTimeout",
      "Your socket connection to the server was not read from or written to within the timeout period. Idle " +
        "connections will be closed.",
    ),
  skew: () =>
    new S3Error("RequestTimeTooSkewed", "The difference between the request time and the current time is too large."),
};

export function createS3Router(options: S3RouterOptions): (req: EmuRequest) => Promise<EmuResponse> {
  let dirs: Promise<void> | undefined;
  return async (req) => {
    let operation = "Unknown";
    let faults: FaultSpec[] = [];
    const region = requestRegion(req, options.auth.mode, options.env.config.region);
    let resource = req.path;
    try {
      const { bucket, key } = address(req);
      resource = `/${bucket}${key === "" ? "" : `/${key}`}`;
      const query = new URLSearchParams(req.rawQuery);
      const found = route(req.method, bucket, key, query);
      if (!found)
        throw new S3Error("MethodNotAllowed", "The specified method is not allowed against this resource.", {
          Method: req.method,
          ResourceType: key === "" ? "BUCKET" : "OBJECT",
        });
      operation = found[0];
      const payload = authenticateS3(req, options.auth, Date.now());
      await (dirs ??= ensureDirs(options.env));
      faults = options.faults
        .pick(operation, bucket)
        .filter((f) => f.kind !== "repeat-marker" && f.kind !== "fail-job");
      for (const fault of faults) {
        if (fault.kind === "latency") await sleep(fault.ms ?? 100);
        if (fault.kind === "reset")
          return { status: 0, headers: {}, transport: { kind: "reset-before" }, operation, region, faults };
        if (fault.kind === "reset-upload") {
          await consumeHalf(req);
          return { status: 0, headers: {}, transport: { kind: "reset-before" }, operation, region, faults };
        }
        const error = FAULT_ERRORS[fault.kind];
        if (error) {
          if (fault.kind === "408") await consumeHalf(req);
          throw error();
        }
      }
      const ctx: S3Context = {
        env: options.env,
        req,
        bucket,
        key,
        query,
        payload,
        region,
        restoreDelays: options.restoreDelays,
        hashing: options.hashing,
      };
      const response = await found[1](ctx);
      return { ...applyResponseFaults(response, faults, query), operation, region, faults };
    } catch (error) {
      const s3Error =
        error instanceof S3Error
          ? error
          : new S3Error(
              "InternalError",
              `Internal emulator error: ${error instanceof Error ? error.message : String(error)}`,
            );
      // 304 Not Modified carries no body.
      if (s3Error.status === 304) return { ...s3ErrorResponse(s3Error, "HEAD", resource), operation, region, faults };
      return { ...s3ErrorResponse(s3Error, req.method, resource), operation, region, faults };
    }
  };
}
