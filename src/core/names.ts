// Archive name <-> Glacier archive description (README.md "Archive names").
//
// Glacier keeps at most 1,024 characters of ASCII 0x20–0x7E and removes leading spaces
// (docs/glacier-api.md#data-formats). A name that fits is stored verbatim, which every other client
// reads as it is. Any other name (non-ASCII, control characters, a leading space, too long) is stored as
//
//     "gcli1 " + base64url(UTF-8 bytes of the name)        (RFC 4648 section 5, no padding)
//
// Decoding is the exact inverse, and the two forms can never collide: a description is read as
// encoded only when it is the canonical encoding of a name that could not have been stored verbatim.
// Every other description is a verbatim name, except descriptions written by mt-aws-glacier
// (`mt1`/`mt2` + base64url JSON) and FastGlacier (`<m><v>2</v><p>base64</p>...`), which are decoded
// to the file names they carry. A name that would itself decode to something else ("gcli1 ...",
// "mt2 ...", "<m>...") is therefore stored encoded too, so decode(encode(name)) === name always.
import { ConsoleError } from "./errors.ts";
import { decodeForeignDescription } from "./foreign-descriptions.ts";
import type { DecodedDescription } from "./types.ts";

export const ENCODED_NAME_MARKER = "gcli1 ";
export const MAX_DESCRIPTION_LENGTH = 1024;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Reads a description from an inventory or an upload as the archive's name. */
export function decodeDescription(description: string): DecodedDescription {
  const ours = decodeOurs(description);
  if (ours !== undefined) return { name: ours, origin: "glacier-cli" };
  return decodeForeignDescription(description) ?? { name: description, origin: "plain" };
}

export function nameFromDescription(description: string): string {
  return decodeDescription(description).name;
}

/** True when the name is stored as its own description. */
export function isVerbatimName(name: string): boolean {
  return (
    name.length <= MAX_DESCRIPTION_LENGTH &&
    PRINTABLE_ASCII.test(name) &&
    !name.startsWith(" ") &&
    decodeDescription(name).origin === "plain"
  );
}

/** The description to upload for a name; ConsoleError when even the encoding does not fit. */
export function descriptionForName(name: string): string {
  if (isVerbatimName(name)) return name;
  if (LONE_SURROGATE.test(name)) throw new ConsoleError("archive name is not valid Unicode text");
  const description = ENCODED_NAME_MARKER + Buffer.from(name, "utf8").toString("base64url");
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    throw new ConsoleError(
      `archive name is too long: a Glacier description holds at most ${MAX_DESCRIPTION_LENGTH} characters ` +
        `and this name needs ${description.length}`,
    );
  }
  return description;
}

function decodeOurs(description: string): string | undefined {
  if (!description.startsWith(ENCODED_NAME_MARKER)) return undefined;
  const payload = description.slice(ENCODED_NAME_MARKER.length);
  if (!/^[A-Za-z0-9_-]*$/.test(payload)) return undefined;
  const bytes = Buffer.from(payload, "base64url");
  // Only the canonical encoding counts, so no two descriptions decode to the same name.
  if (bytes.toString("base64url") !== payload) return undefined;
  let name: string;
  try {
    name = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  // A name that would have been stored verbatim is never encoded: this one is someone's plain text.
  return isVerbatimName(name) ? undefined : name;
}
