// The context of one API operation, and the helpers its handler shares with the others.
import { invalid } from "./api-error.ts";
import type { EmulatorEnv } from "./env.ts";
import type { EmuRequest, EmuResponse } from "./http.ts";

export interface OpContext {
  env: EmulatorEnv;
  req: EmuRequest;
  /** Decoded path parameters: the vault name and the archive/upload/job ID when the path has them. */
  vault: string;
  id: string;
  query: URLSearchParams;
}

export type Handler = (ctx: OpContext) => Promise<EmuResponse>;

// docs/glacier-api.md#pagination: "clamp limit to a configurable page max, ... reject limit < 1 or non-numeric
// with InvalidParameterValueException"; never reject a large limit.
export function pageLimit(query: URLSearchParams, max: number): number {
  const raw = query.get("limit");
  if (raw === null) return max;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw invalid(`Invalid limit: ${raw}. Limit must be a positive integer`);
  return Math.min(Number(raw), max);
}

export function locationPrefix(ctx: OpContext): string {
  return `/${ctx.env.config.accountId}/vaults/${ctx.vault}`;
}
