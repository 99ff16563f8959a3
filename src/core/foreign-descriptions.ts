// Archive descriptions written by other Glacier tools, decoded to the file names they carry
// (README.md "Archive names"). Anything that does not decode cleanly is left alone and
// read as a plain name.
//
// mt-aws-glacier (App::MtAws::MetaData):
//   'mt2' <space> base64url(json_utf8({'filename': FILENAME, 'mtime': iso8601(MTIME)}))
//   'mt1' <space> base64url(latin1_to_utf8(json_utf8({...})))   (0.80beta-0.84beta: double UTF-8)
//   base64url without '=' padding; mtime as YYYYMMDDTHHMMSSZ, UTC; the base64 part at most 1024.
// FastGlacier (version 2):
//   <m><v>2</v><p>base64(UTF-8 path)</p><lm>YYYYMMDDTHHMMSSZ</lm></m>
import type { DecodedDescription } from "./types.ts";
import { defined } from "./errors.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function decodeForeignDescription(description: string): DecodedDescription | undefined {
  return decodeMtAwsGlacier(description) ?? decodeFastGlacier(description);
}

const MT_AWS = /^\s*(mt1|mt2)\s+([A-Za-z0-9_-]{1,1024})\s*$/;

function decodeMtAwsGlacier(description: string): DecodedDescription | undefined {
  const match = MT_AWS.exec(description);
  if (!match) return undefined;
  let json = strictUtf8(Buffer.from(defined(match[2], "match[2]"), "base64url"));
  // mt1 encoded the UTF-8 JSON bytes as if they were Latin-1 a second time: undo one layer.
  if (match[1] === "mt1" && json !== undefined)
    json = /^[\0-\xff]*$/.test(json) ? strictUtf8(Buffer.from(json, "latin1")) : undefined;
  if (json === undefined) return undefined;
  let meta: unknown;
  try {
    meta = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) return undefined;
  const { filename, mtime } = meta as { filename?: unknown; mtime?: unknown };
  if (typeof filename !== "string" || filename === "" || typeof mtime !== "string") return undefined;
  const time = parseMtAwsTime(mtime);
  if (time === undefined) return undefined;
  return { name: filename, origin: "mt-aws-glacier", mtime: time };
}

// mt-aws-glacier's reader accepts "_some_ iso8601": separators and fractions optional, Z required.
const MT_AWS_TIME =
  /^\s*(\d{4})[-\s]*(\d{2})[-\s]*(\d{2})\s*T\s*(\d{2})[:\s]*(\d{2})[:\s]*(\d{2})[,.\d]{0,10}\s*Z\s*$/i;

function parseMtAwsTime(text: string): number | undefined {
  const m = MT_AWS_TIME.exec(text);
  return m ? utcTime(m.slice(1, 7).map(Number)) : undefined;
}

const FAST_GLACIER =
  /^<m><v>2<\/v><p>([A-Za-z0-9+/]*={0,2})<\/p><lm>(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z<\/lm><\/m>$/;

function decodeFastGlacier(description: string): DecodedDescription | undefined {
  const match = FAST_GLACIER.exec(description);
  if (!match) return undefined;
  const bytes = Buffer.from(defined(match[1], "match[1]"), "base64");
  if (bytes.toString("base64") !== match[1]) return undefined;
  const name = strictUtf8(bytes);
  const mtime = utcTime(match.slice(2, 8).map(Number));
  if (name === undefined || name === "" || mtime === undefined) return undefined;
  return { name, origin: "fastglacier", mtime };
}

function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** [year, month, day, hour, minute, second] -> epoch ms; undefined for an impossible date. */
function utcTime([year, month, day, hour, minute, second]: number[]): number | undefined {
  // Leap seconds are folded into :59, as mt-aws-glacier does.
  const ms = Date.UTC(
    defined(year, "year"),
    defined(month, "month") - 1,
    day,
    hour,
    minute,
    Math.min(defined(second, "second"), 59),
  );
  const back = new Date(ms);
  const valid =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === defined(month, "month") - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    defined(second, "second") <= 61;
  return valid ? ms : undefined;
}
