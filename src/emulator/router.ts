// (EmuRequest) -> Promise<EmuResponse>: account, version and signature checks, fault injection,
// dispatch to the operation handler, Glacier's error JSON for every failure. Never throws.
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { GlacierApiError, missing } from "./api-error.ts";
import type { EmulatorEnv } from "./env.ts";
import type { FaultInjector, FaultSpec } from "./faults.ts";
import { type EmuRequest, type EmuResponse, drain, errorResponse } from "./http.ts";
import { requestRegion } from "./regions.ts";
import { type AuthConfig, authenticate } from "./sigv4.ts";
import { matchRoute } from "./routes.ts";

export interface RouterOptions {
  env: EmulatorEnv;
  auth: AuthConfig;
  faults: FaultInjector;
  /** Answer every call with NoLongerSupportedException (docs/glacier-api.md#service-status: a new AWS account). */
  newAccount: boolean;
  control: (req: EmuRequest) => Promise<EmuResponse>;
  /** Serves the requests that are for S3 rather than Glacier (s3/router.ts). */
  s3?: { matches(req: EmuRequest): boolean; handle(req: EmuRequest): Promise<EmuResponse> };
}

export type Router = (req: EmuRequest) => Promise<EmuResponse>;

const MAX_UNHASHED_BODY = 1024 * 1024;

const FAULT_ERRORS: Partial<Record<FaultSpec["kind"], () => GlacierApiError>> = {
  throttle: () => new GlacierApiError("ThrottlingException", "Rate exceeded"),
  "500": () =>
    new GlacierApiError("ServiceUnavailableException", "Service is temporarily unavailable. Please try again later."),
  "503": () =>
    new GlacierApiError(
      "ServiceUnavailableException",
      "Service is temporarily unavailable. Please try again later.",
      503,
    ),
  "408": () =>
    new GlacierApiError("RequestTimeoutException", "Request body was not received in time. Please try again."),
  skew: () =>
    new GlacierApiError(
      "InvalidSignatureException",
      "Signature expired: the request time is more than 15 minutes away from the server time",
    ),
};

export function createRouter(options: RouterOptions): Router {
  return async (req) => {
    if (req.path === "/_emulator" || req.path.startsWith("/_emulator/")) {
      return { ...(await options.control(req)), operation: "_emulator" };
    }
    if (options.s3?.matches(req)) return options.s3.handle(req);
    let operation = "Unknown";
    let faults: FaultSpec[] = [];
    // One endpoint per region in Glacier, one URL here: the region comes from the credential scope.
    const region = requestRegion(req, options.auth.mode, options.env.config.region);
    const env = options.env.inRegion(region);
    try {
      const segments = req.path.split("/").slice(1).map(decodeSegment);
      const account = segments[0] ?? "";
      const match = matchRoute(req.method, segments.slice(1));
      if (!("handler" in match)) {
        await drain(req.body);
        throw match.pathKnown
          ? new GlacierApiError(
              "UnknownOperationException",
              `The method ${req.method} is not allowed on ${req.path}`,
              405,
            )
          : new GlacierApiError("UnknownOperationException", `No Glacier operation matches ${req.method} ${req.path}`);
      }
      operation = match.operation;
      let body = req.body;
      await authenticate(req, options.auth, Date.now(), async () => {
        // Only small bodies (JSON parameters) come without x-amz-content-sha256; never buffer more.
        const chunks: Uint8Array[] = [];
        let size = 0;
        for await (const c of req.body) {
          size += c.length;
          if (size > MAX_UNHASHED_BODY)
            throw missing("Required header x-amz-content-sha256 is missing (needed for a body this large)");
          chunks.push(c);
        }
        const buffered = Buffer.concat(chunks);
        // eslint-disable-next-line @typescript-eslint/require-await -- replays a body already read: nothing to await
        body = (async function* () {
          yield buffered;
        })();
        return buffered;
      });
      if (options.newAccount) {
        throw new GlacierApiError(
          "NoLongerSupportedException",
          "This API is no longer supported for new accounts. Please use Amazon S3 Glacier storage classes instead.",
        );
      }
      // docs/glacier-api.md#requests: "a 12-digit account ID without hyphens or a single - ... A wrong account ID ->
      // 403".
      if (account !== "-" && account !== env.config.accountId) {
        throw new GlacierApiError("AccessDeniedException", `Access denied for account ${account}`);
      }
      if (req.headers["x-amz-glacier-version"] === undefined)
        throw missing("Required header x-amz-glacier-version is missing");
      if (req.headers["x-amz-glacier-version"] !== "2012-06-01") {
        throw new GlacierApiError(
          "InvalidParameterValueException",
          `Unsupported x-amz-glacier-version: ${req.headers["x-amz-glacier-version"]}`,
        );
      }
      faults = options.faults.pick(operation, match.vault);
      const ctxReq = { ...req, body };
      for (const fault of faults) {
        if (fault.kind === "latency") await sleep(fault.ms ?? 100);
        if (fault.kind === "reset")
          return { status: 0, headers: {}, transport: { kind: "reset-before" }, operation, region, faults };
        if (fault.kind === "stall")
          return { status: 0, headers: {}, transport: { kind: "stall-before" }, operation, region, faults };
        if (fault.kind === "reset-upload") {
          await consumeHalf(ctxReq);
          return { status: 0, headers: {}, transport: { kind: "reset-before" }, operation, region, faults };
        }
        const error = FAULT_ERRORS[fault.kind];
        if (error) {
          if (fault.kind === "408") await consumeHalf(ctxReq);
          // docs/glacier-api.md#errors: "InsufficientCapacityException 503 ... Expedited retrieval without capacity
          // (InitiateJob only)".
          if (fault.kind === "503" && operation === "InitiateJob")
            throw new GlacierApiError(
              "InsufficientCapacityException",
              "There is not enough capacity to process this Expedited retrieval request. Please try again later.",
            );
          throw error();
        }
      }
      const failJob = faults.some((f) => f.kind === "fail-job");
      const query = new URLSearchParams(req.rawQuery);
      const response = await match.handler({
        env: failJob ? withFailingJobs(env) : env,
        req: ctxReq,
        vault: match.vault,
        id: match.id,
        query,
      });
      return { ...applyResponseFaults(response, faults, query), operation, region, faults };
    } catch (error) {
      const apiError =
        error instanceof GlacierApiError
          ? error
          : new GlacierApiError(
              "ServiceUnavailableException",
              `Internal emulator error: ${error instanceof Error ? error.message : String(error)}`,
            );
      return { ...errorResponse(apiError), operation, region, faults };
    }
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new GlacierApiError(
      "InvalidParameterValueException",
      `Invalid percent-encoding in the path: ${segment.slice(0, 100)}`,
    );
  }
}

/**
 * Reads the first half of the body (faults "408" and "reset-upload"). Leaving a stream's iterator
 * early destroys the stream, and with it the connection, before the 408 could be answered; a
 * node:stream body is therefore read through an iterator that leaves it open (the socket adapter
 * drains or closes what is left, as for any rejected request).
 */
export async function consumeHalf(req: EmuRequest): Promise<void> {
  const total = Number(req.headers["content-length"] ?? 0);
  const chunks = req.body instanceof Readable ? req.body.iterator({ destroyOnReturn: false }) : req.body;
  let seen = 0;
  for await (const chunk of chunks) {
    seen += (chunk as Uint8Array).length;
    if (seen * 2 >= total) break;
  }
}

export function applyResponseFaults(
  response: EmuResponse,
  faults: readonly FaultSpec[],
  query: URLSearchParams,
): EmuResponse {
  for (const fault of faults) {
    // The client's view of a crash between Glacier storing an archive and the answer arriving.
    if (fault.kind === "reset-after") return { ...response, transport: { kind: "reset-before" } };
    if (fault.kind === "reset-body") return { ...response, transport: { kind: "reset-mid-body" } };
    if (fault.kind === "truncate") return { ...response, transport: { kind: "truncate" } };
    if (fault.kind === "corrupt") return { ...response, transport: { kind: "corrupt" } };
    if (fault.kind === "stall-body") return { ...response, transport: { kind: "stall-mid-body" } };
    if (fault.kind === "repeat-marker" && Buffer.isBuffer(response.body)) {
      // "a repeated Marker (the AWS CLI auto-paginates all four List operations, so the client
      // needs a loop guard)": answer with the marker the client sent (or the next one, once more).
      const value = JSON.parse(response.body.toString("utf8")) as Record<string, unknown>;
      if (typeof value["Marker"] === "string" || query.get("marker") !== null) {
        value["Marker"] = query.get("marker") ?? value["Marker"];
        const body = Buffer.from(JSON.stringify(value));
        return { ...response, body, headers: { ...response.headers, "Content-Length": String(body.length) } };
      }
    }
  }
  return response;
}

/** A view of env whose transactions mark newly initiated jobs as ending Failed (fault "fail-job"). */
function withFailingJobs(env: EmulatorEnv): EmulatorEnv {
  return {
    ...env,
    transact: (fn) =>
      env.transact(async (state, now) => {
        const before = new Set(Object.keys(state.jobs));
        const result = await fn(state, now);
        for (const [id, job] of Object.entries(state.jobs)) {
          if (!before.has(id))
            Object.assign(job, { outcome: "Failed", failureMessage: "The job failed (injected fault)" });
        }
        return result;
      }),
  };
}
