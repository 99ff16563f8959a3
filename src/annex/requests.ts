// The requests git-annex sends us (docs/annex-protocol.md#requests, docs/annex-protocol.md#export), as a typed
// descriptor table: each keyword with its parameters in order. "A message is a keyword ... followed by a fixed number
// of parameters for that keyword ... The last parameter is the rest of the line, verbatim."
import { latin1, SP, splitFields, splitKeyword } from "./wire.ts";

export const DIRECTIONS = ["STORE", "RETRIEVE"] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * key: a single non-empty token ("Keys never contain whitespace"); direction: STORE|RETRIEVE;
 * bytes: verbatim (Files, Urls, Names); words: a space-separated list of ASCII names, possibly absent.
 */
type ParamKind = "key" | "direction" | "bytes" | "words";
type ParamValue<K extends ParamKind> = K extends "direction" ? Direction : K extends "words" ? string[] : Uint8Array;
type ParamValues<P extends readonly ParamKind[]> = { -readonly [I in keyof P]: ParamValue<P[I]> };

interface RequestSpec<P extends readonly ParamKind[], R> {
  readonly params: P;
  build: (values: ParamValues<P>) => R;
}

function spec<const P extends readonly ParamKind[], R>(
  params: P,
  build: (values: ParamValues<P>) => R,
): RequestSpec<P, R> {
  return { params, build };
}

const none = () => ({});

export const REQUESTS = {
  EXTENSIONS: spec(["words"], ([extensions]) => ({ extensions })),
  INITREMOTE: spec([], none),
  PREPARE: spec([], none),
  TRANSFER: spec(["direction", "key", "bytes"], ([direction, key, file]) => ({ direction, key, file })),
  CHECKPRESENT: spec(["key"], ([key]) => ({ key })),
  REMOVE: spec(["key"], ([key]) => ({ key })),
  LISTCONFIGS: spec([], none),
  GETCOST: spec([], none),
  GETAVAILABILITY: spec([], none),
  CLAIMURL: spec(["bytes"], ([url]) => ({ url })),
  CHECKURL: spec(["bytes"], ([url]) => ({ url })),
  WHEREIS: spec(["key"], ([key]) => ({ key })),
  GETINFO: spec([], none),
  EXPORTSUPPORTED: spec([], none),
  GETORDERED: spec([], none),
  // "EXPORT Name gets no reply. It precedes each TRANSFEREXPORT ..." We never report export support,
  // but an EXPORT must still be consumed silently or every later reply would be off by one.
  EXPORT: spec(["bytes"], ([name]) => ({ name })),
} as const;

export type RequestKeyword = keyof typeof REQUESTS;
export type AnnexRequest = {
  [K in RequestKeyword]: { readonly keyword: K } & Readonly<ReturnType<(typeof REQUESTS)[K]["build"]>>;
}[RequestKeyword];
export type RequestOf<K extends RequestKeyword> = Extract<AnnexRequest, { keyword: K }>;

export type ParsedRequest =
  | { readonly ok: true; readonly request: AnnexRequest }
  /** garbage: not a keyword at all; unknown: a keyword we do not implement; malformed: bad parameters. */
  | {
      readonly ok: false;
      readonly problem: "garbage" | "unknown" | "malformed";
      readonly keyword: string;
      readonly message: string;
    };

// "A message is a keyword (ASCII upper case, `-` allowed)".
const KEYWORD = /^[A-Z][A-Z0-9-]*$/;

export function parseRequest(line: Uint8Array): ParsedRequest {
  const { keyword: keywordBytes, rest } = splitKeyword(line);
  const keyword = latin1(keywordBytes);
  if (!KEYWORD.test(keyword)) return { ok: false, problem: "garbage", keyword, message: "unable to parse request" };
  if (!Object.hasOwn(REQUESTS, keyword)) {
    return { ok: false, problem: "unknown", keyword, message: `unknown request ${keyword}` };
  }
  const name = keyword as RequestKeyword;
  const values = parseParams(REQUESTS[name].params, rest);
  if (typeof values === "string") return { ok: false, problem: "malformed", keyword, message: `${keyword}: ${values}` };
  const build = REQUESTS[name].build as (values: unknown[]) => object;
  return { ok: true, request: { keyword: name, ...build(values) } as AnnexRequest };
}

/** The typed parameter values, or a one-line reason they are unusable. */
function parseParams(params: readonly ParamKind[], rest: Uint8Array | undefined): unknown[] | string {
  if (params.length === 0) {
    // Tolerate a single trailing space, as git-annex does for replies without parameters.
    return rest === undefined || rest.length === 0 ? [] : "takes no parameters";
  }
  const optionalList = params.length === 1 && params[0] === "words";
  if (rest === undefined && !optionalList) return `missing parameters (expects ${params.length})`;
  const fields = splitFields(rest ?? new Uint8Array(0), params.length);
  if (fields === undefined) return `missing parameters (expects ${params.length})`;
  const values: unknown[] = [];
  for (const [index, kind] of params.entries()) {
    const field = fields[index] ?? new Uint8Array(0);
    switch (kind) {
      case "key":
        if (field.length === 0) return "empty key";
        // The key may be the last parameter ("the rest of the line"), but "Keys never contain
        // whitespace": extra words are a malformed request, not part of the key.
        if (field.includes(SP)) return `too many parameters (expects ${params.length}): a key contains no spaces`;
        values.push(field);
        break;
      case "direction": {
        const direction = latin1(field);
        if (!(DIRECTIONS as readonly string[]).includes(direction)) return `unknown direction "${direction}"`;
        values.push(direction);
        break;
      }
      case "words":
        values.push(
          latin1(field)
            .split(" ")
            .filter((word) => word.length > 0),
        );
        break;
      case "bytes":
        values.push(field);
        break;
    }
  }
  return values;
}
