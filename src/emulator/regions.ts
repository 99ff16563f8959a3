// Regions. Glacier has one endpoint per region (glacier.{region}.amazonaws.com), so the same vault
// name in two regions is two vaults. The emulator serves every region at one URL and takes a
// request's region from the SigV4 credential scope its client declared
// (`Credential=AKID/20260101/eu-west-1/glacier/aws4_request`) when that looks like an AWS region.
// Otherwise (boto 2 signs 127.0.0.1 as region "0", auth off, no Authorization header) the request
// is for the emulator's configured region.
import { isAwsRegion } from "./aws-region.ts";
import type { EmuRequest } from "./http.ts";
import type { AuthMode } from "./sigv4.ts";
import { type EmulatorState, type RegionState, emptyRegion } from "./state.ts";

const SCOPE_REGION = /Credential=[^/\s,]+\/\d{8}\/([^/\s,]+)\//;

/**
 * The region a request is for. In auth mode "off" the Authorization header is not looked at, so
 * every request is for the configured region.
 */
export function requestRegion(req: EmuRequest, mode: AuthMode, configured: string): string {
  if (mode === "off") return configured;
  const declared = SCOPE_REGION.exec(req.headers["authorization"] ?? "")?.[1];
  return declared !== undefined && isAwsRegion(declared) ? declared : configured;
}

/**
 * The records of a region in the state (state.region must be set). A region not seen before gets
 * empty records, attached to the state only when `create` is true (a transaction that may write).
 */
export function regionRecords(state: EmulatorState, region: string, create: boolean): RegionState {
  if (state.region === region) return state;
  const found = state.regions !== undefined && Object.hasOwn(state.regions, region) ? state.regions[region] : undefined;
  if (found) return found;
  const fresh = emptyRegion();
  if (create) (state.regions ??= {})[region] = fresh;
  return fresh;
}

/** Only the region fields of a record set (the top level of the state also holds the others). */
function recordsOnly(r: RegionState): RegionState {
  return {
    vaults: r.vaults,
    uploads: r.uploads,
    jobs: r.jobs,
    retrievalPolicy: r.retrievalPolicy,
    retrievals: r.retrievals,
    ...(r.capacity !== undefined ? { capacity: r.capacity } : {}),
  };
}

/** Every region that has records, with them (the top-level region first). */
export function allRegions(state: EmulatorState, fallback: string): [string, RegionState][] {
  return [[state.region ?? fallback, recordsOnly(state)], ...Object.entries(state.regions ?? {})];
}

/**
 * A copy of the state in the layout of state.json with `region`'s records at the top level and
 * every other region's under `regions` (what the control API's dumpState returns).
 */
export function rootedAt(state: EmulatorState, region: string, fallback: string): EmulatorState {
  const records = new Map(allRegions(state, fallback));
  const top = records.get(region) ?? emptyRegion();
  records.delete(region);
  return structuredClone({
    version: state.version,
    clockOffsetMs: state.clockOffsetMs,
    region,
    ...top,
    ...(records.size > 0 ? { regions: Object.fromEntries(records) } : {}),
    ...(state.s3 !== undefined ? { s3: state.s3 } : {}),
  });
}
