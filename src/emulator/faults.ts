// Fault injection (docs/emulator.md#faults): seeded and deterministic rules selected by
// operation, vault, n-th matching request or probability.
//
// Text form (--faults, /_emulator/faults): rules separated by ";", each "KIND[,key=value...]", keys
// op (operation name), vault, nth (fire on the n-th matching request only, 1-based), every (every
// n-th), p (probability 0..1, drawn from the seeded generator), times (fire at most this often),
// ms (latency). Example: "throttle,op=UploadMultipartPart,nth=2;latency,ms=200,p=0.25".

import { seeded } from "../core/random.ts";
import { defined } from "../core/errors.ts";

export const FAULT_KINDS = [
  "throttle", // 400 ThrottlingException
  "500", // 500 ServiceUnavailableException
  "503", // 503 ServiceUnavailableException (Expedited capacity: InsufficientCapacityException on InitiateJob)
  "408", // 408 RequestTimeoutException (after reading part of an upload body)
  "latency", // wait ms before answering
  "reset", // TCP reset before any response
  "reset-upload", // TCP reset after reading half of the request body
  "reset-after", // the request is carried out (an upload stored), then a TCP reset instead of the answer
  "reset-body", // TCP reset in the middle of the response body
  "truncate", // half the response body, then close, with the full Content-Length announced
  "corrupt", // one output byte flipped, headers (tree hash) left true
  "stall", // the request is read but never answered: the connection stays open, silent
  "stall-body", // the headers and half the response body, then silence on an open connection
  "repeat-marker", // a List answer repeats the marker it was given
  "skew", // 403 InvalidSignatureException "Signature expired"
  "fail-job", // InitiateJob creates a job that ends Failed
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  operation?: string;
  vault?: string;
  nth?: number;
  every?: number;
  probability?: number;
  times?: number;
  ms?: number;
}

export function parseFaults(spec: FaultSpec[] | string): FaultSpec[] {
  if (typeof spec !== "string") return spec.map(checkRule);
  return spec
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((text) => {
      const [kind, ...pairs] = text.split(",").map((s) => s.trim());
      const rule: Record<string, unknown> = { kind };
      for (const pair of pairs) {
        const [key, value] = pair.split("=");
        if (value === undefined) throw new Error(`fault rule "${text}": "${pair}" is not key=value`);
        const name =
          ({ op: "operation", p: "probability" } as Record<string, string>)[defined(key, "key")] ?? defined(key, "key");
        rule[name] = name === "operation" || name === "vault" ? value : Number(value);
      }
      return checkRule(rule as unknown as FaultSpec);
    });
}

function checkRule(rule: FaultSpec): FaultSpec {
  if (!FAULT_KINDS.includes(rule.kind))
    throw new Error(`unknown fault kind "${rule.kind}" (known: ${FAULT_KINDS.join(", ")})`);
  for (const key of ["nth", "every", "times", "ms"] as const) {
    const v = rule[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0))
      throw new Error(`fault rule ${rule.kind}: ${key} must be a whole number`);
  }
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1))
    throw new Error(`fault rule ${rule.kind}: p must be between 0 and 1`);
  for (const key of Object.keys(rule)) {
    if (!["kind", "operation", "vault", "nth", "every", "probability", "times", "ms"].includes(key))
      throw new Error(`fault rule ${rule.kind}: unknown key ${key}`);
  }
  return rule;
}

export class FaultInjector {
  #rules: { spec: FaultSpec; seen: number; fired: number }[] = [];
  #random: () => number;

  constructor(spec: FaultSpec[] | string = [], seed = 1) {
    this.#random = seeded(seed);
    this.set(spec);
  }

  set(spec: FaultSpec[] | string): void {
    this.#rules = parseFaults(spec).map((s) => ({ spec: s, seen: 0, fired: 0 }));
  }

  rules(): FaultSpec[] {
    return this.#rules.map((r) => r.spec);
  }

  /** The faults to apply to one request, in rule order (every matching rule counts the request). */
  pick(operation: string, vault: string): FaultSpec[] {
    const out: FaultSpec[] = [];
    for (const rule of this.#rules) {
      const s = rule.spec;
      if ((s.operation !== undefined && s.operation !== operation) || (s.vault !== undefined && s.vault !== vault))
        continue;
      rule.seen += 1;
      if (s.nth !== undefined && rule.seen !== s.nth) continue;
      if (s.every !== undefined && s.every > 0 && rule.seen % s.every !== 0) continue;
      if (s.times !== undefined && rule.fired >= s.times) continue;
      if (s.probability !== undefined && this.#random() >= s.probability) continue;
      rule.fired += 1;
      out.push(s);
    }
    return out;
  }
}
