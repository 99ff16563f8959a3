// Everything we send to git-annex (docs/annex-protocol.md#requests, #messages) as a typed descriptor
// table: each keyword with how its fields are written and which reply, if any, git-annex sends back.
import { InternalError } from "../core/errors.ts";
import type { Direction } from "./requests.ts";
import { encodeLine, LF, SP, utf8 } from "./wire.ts";

export type Availability = "GLOBAL" | "LOCAL";
type Bytes = Uint8Array | string;

export type RemoteMessage =
  | { keyword: "VERSION"; version: number }
  | { keyword: "EXTENSIONS"; extensions: readonly string[] }
  | { keyword: "INITREMOTE-SUCCESS" | "PREPARE-SUCCESS" | "CONFIGEND" | "INFOEND" | "UNSUPPORTED-REQUEST" }
  | { keyword: "INITREMOTE-FAILURE" | "PREPARE-FAILURE" | "CHECKURL-FAILURE" | "ERROR"; message: string }
  | { keyword: "TRANSFER-SUCCESS"; direction: Direction; key: Uint8Array }
  | { keyword: "TRANSFER-FAILURE"; direction: Direction; key: Uint8Array; message: string }
  | { keyword: "CHECKPRESENT-SUCCESS" | "CHECKPRESENT-FAILURE" | "REMOVE-SUCCESS"; key: Uint8Array }
  | { keyword: "CHECKPRESENT-UNKNOWN" | "REMOVE-FAILURE"; key: Uint8Array; message: string }
  | { keyword: "COST"; cost: number }
  | { keyword: "AVAILABILITY"; availability: Availability }
  | { keyword: "CLAIMURL-SUCCESS" | "CLAIMURL-FAILURE" | "WHEREIS-FAILURE" }
  | { keyword: "EXPORTSUPPORTED-SUCCESS" | "EXPORTSUPPORTED-FAILURE" | "ORDERED" | "UNORDERED" }
  | { keyword: "CHECKURL-CONTENTS"; size: number | undefined; filename: Bytes }
  | { keyword: "CHECKURL-MULTI"; entries: readonly { url: Bytes; size: number | undefined; filename: Bytes }[] }
  | { keyword: "WHEREIS-SUCCESS"; text: string }
  | { keyword: "INFOFIELD"; name: string }
  | { keyword: "INFOVALUE"; value: string }
  | { keyword: "CONFIG"; name: string; description: string }
  // Messages to git-annex while a request is handled (docs/annex-protocol.md#messages).
  | { keyword: "PROGRESS"; bytes: number }
  | { keyword: "DIRHASH" | "DIRHASH-LOWER" | "GETSTATE"; key: Uint8Array }
  | { keyword: "GETCONFIG" | "GETCREDS"; setting: string }
  | { keyword: "SETCONFIG"; setting: string; value: string }
  | { keyword: "SETCREDS"; setting: string; user: string; password: string }
  | { keyword: "GETUUID" | "GETGITDIR" | "GETGITREMOTENAME" | "GETWANTED" }
  | { keyword: "SETWANTED"; expression: string }
  | { keyword: "SETSTATE"; key: Uint8Array; value: string }
  | { keyword: "SETURLPRESENT" | "SETURLMISSING" | "SETURIPRESENT" | "SETURIMISSING"; key: Uint8Array; url: Bytes }
  | { keyword: "GETURLS"; key: Uint8Array; prefix: Bytes }
  | { keyword: "DEBUG" | "INFO"; message: string };

export type MessageKeyword = RemoteMessage["keyword"];
// An intersection, not Extract: several keywords share one member of the union.
export type MessageOf<K extends MessageKeyword> = RemoteMessage & { keyword: K };

/**
 * A field: `token` may not contain a space (it is not last); `rest` is the last parameter, verbatim;
 * `text` is a human message, which "cannot be multi-line", so line breaks become spaces.
 */
type Field = { token: Bytes } | { rest: Bytes } | { text: string };

/** What git-annex answers: nothing, `VALUE v`, `CREDS User Password`, or VALUEs ended by `VALUE `. */
export type ReplyShape = "none" | "value" | "creds" | "values";

interface MessageSpec<K extends MessageKeyword> {
  readonly reply: ReplyShape;
  fields(message: MessageOf<K>): Field[];
}

const bare = { reply: "none", fields: () => [] } as const;
const keyOnly = { reply: "none", fields: (m: { key: Uint8Array }) => [{ token: m.key }] } as const;
const message = { reply: "none", fields: (m: { message: string }) => [{ text: m.message }] } as const;
const size = (value: number | undefined) => (value === undefined ? "UNKNOWN" : String(value));

export const MESSAGES: { readonly [K in MessageKeyword]: MessageSpec<K> } = {
  VERSION: { reply: "none", fields: (m) => [{ token: String(m.version) }] },
  EXTENSIONS: { reply: "none", fields: (m) => [{ rest: m.extensions.join(" ") }] },
  "INITREMOTE-SUCCESS": bare,
  "INITREMOTE-FAILURE": message,
  "PREPARE-SUCCESS": bare,
  "PREPARE-FAILURE": message,
  "TRANSFER-SUCCESS": { reply: "none", fields: (m) => [{ token: m.direction }, { token: m.key }] },
  "TRANSFER-FAILURE": { reply: "none", fields: (m) => [{ token: m.direction }, { token: m.key }, { text: m.message }] },
  "CHECKPRESENT-SUCCESS": keyOnly,
  "CHECKPRESENT-FAILURE": keyOnly,
  "CHECKPRESENT-UNKNOWN": { reply: "none", fields: (m) => [{ token: m.key }, { text: m.message }] },
  "REMOVE-SUCCESS": keyOnly,
  "REMOVE-FAILURE": { reply: "none", fields: (m) => [{ token: m.key }, { text: m.message }] },
  COST: { reply: "none", fields: (m) => [{ token: formatCost(m.cost) }] },
  AVAILABILITY: { reply: "none", fields: (m) => [{ token: m.availability }] },
  "CLAIMURL-SUCCESS": bare,
  "CLAIMURL-FAILURE": bare,
  "CHECKURL-CONTENTS": { reply: "none", fields: (m) => [{ token: size(m.size) }, { rest: m.filename }] },
  // "In MULTI the triples are space-split, so no spaces are allowed inside them."
  "CHECKURL-MULTI": {
    reply: "none",
    fields: (m) => m.entries.flatMap((e) => [{ token: e.url }, { token: size(e.size) }, { token: e.filename }]),
  },
  "CHECKURL-FAILURE": message,
  "WHEREIS-SUCCESS": { reply: "none", fields: (m) => [{ text: m.text }] },
  "WHEREIS-FAILURE": bare,
  INFOFIELD: { reply: "none", fields: (m) => [{ text: m.name }] },
  INFOVALUE: { reply: "none", fields: (m) => [{ text: m.value }] },
  INFOEND: bare,
  CONFIG: { reply: "none", fields: (m) => [{ token: m.name }, { text: m.description }] },
  CONFIGEND: bare,
  "EXPORTSUPPORTED-SUCCESS": bare,
  "EXPORTSUPPORTED-FAILURE": bare,
  ORDERED: bare,
  UNORDERED: bare,
  "UNSUPPORTED-REQUEST": bare,
  ERROR: message,
  PROGRESS: { reply: "none", fields: (m) => [{ token: String(Math.max(0, Math.trunc(m.bytes))) }] },
  DIRHASH: { reply: "value", fields: (m) => [{ rest: m.key }] },
  "DIRHASH-LOWER": { reply: "value", fields: (m) => [{ rest: m.key }] },
  GETSTATE: { reply: "value", fields: (m) => [{ rest: m.key }] },
  GETCONFIG: { reply: "value", fields: (m) => [{ rest: m.setting }] },
  GETCREDS: { reply: "creds", fields: (m) => [{ rest: m.setting }] },
  SETCONFIG: { reply: "none", fields: (m) => [{ token: m.setting }, { rest: m.value }] },
  SETCREDS: { reply: "none", fields: (m) => [{ token: m.setting }, { token: m.user }, { rest: m.password }] },
  GETUUID: { reply: "value", fields: () => [] },
  GETGITDIR: { reply: "value", fields: () => [] },
  GETGITREMOTENAME: { reply: "value", fields: () => [] },
  GETWANTED: { reply: "value", fields: () => [] },
  SETWANTED: { reply: "none", fields: (m) => [{ rest: m.expression }] },
  SETSTATE: { reply: "none", fields: (m) => [{ token: m.key }, { rest: m.value }] },
  SETURLPRESENT: { reply: "none", fields: (m) => [{ token: m.key }, { rest: m.url }] },
  SETURLMISSING: { reply: "none", fields: (m) => [{ token: m.key }, { rest: m.url }] },
  SETURIPRESENT: { reply: "none", fields: (m) => [{ token: m.key }, { rest: m.url }] },
  SETURIMISSING: { reply: "none", fields: (m) => [{ token: m.key }, { rest: m.url }] },
  GETURLS: { reply: "values", fields: (m) => [{ token: m.key }, { rest: m.prefix }] },
  DEBUG: message,
  INFO: message,
};

/** COST "Parsed as a float"; a value git-annex cannot parse is our bug, not the user's. */
function formatCost(cost: number): string {
  if (!Number.isFinite(cost)) throw new InternalError(`invalid COST ${cost}`);
  return String(cost);
}

/** The exact bytes of one message, or InternalError when a field cannot be represented on the wire. */
export function formatMessage(m: RemoteMessage): Uint8Array {
  const spec = MESSAGES[m.keyword] as MessageSpec<MessageKeyword>;
  const fields = spec.fields(m);
  return encodeLine([
    utf8(m.keyword),
    ...fields.map((field, index) => encodeField(m.keyword, field, index === fields.length - 1)),
  ]);
}

export function replyShape(keyword: MessageKeyword): ReplyShape {
  return MESSAGES[keyword].reply;
}

function encodeField(keyword: string, field: Field, last: boolean): Uint8Array {
  if ("text" in field) return utf8(field.text.replace(/\r\n|[\r\n]/g, " "));
  const bytes = "token" in field ? toBytes(field.token) : toBytes(field.rest);
  // A CR would reach git-annex verbatim ("its reader does not strip a \r we send"), an LF would end
  // the line, and a space inside a field that is not the last would shift every later field.
  const forbidden = "token" in field && !last ? [LF, 0x0d, SP] : [LF, 0x0d];
  if (bytes.some((byte) => forbidden.includes(byte))) {
    throw new InternalError(`${keyword}: a field contains a byte the protocol cannot carry there`);
  }
  return bytes;
}

function toBytes(value: Bytes): Uint8Array {
  return typeof value === "string" ? utf8(value) : value;
}
