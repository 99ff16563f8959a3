// The XML S3 speaks: a small writer for responses (elements in insertion order, arrays as repeated
// elements) and a small reader for the few request bodies (CompleteMultipartUpload, Delete,
// RestoreRequest, CreateBucketConfiguration). No DTDs, no namespaces beyond ignoring prefixes.
import { S3Error } from "./errors.ts";
import { defined } from "../../core/errors.ts";

export type XmlValue = string | number | boolean | XmlFields;
export interface XmlFields {
  [name: string]: XmlValue | XmlValue[] | undefined;
}

const NS = "http://s3.amazonaws.com/doc/2006-03-01/";

export const escapeXml = (text: string): string =>
  text.replace(/[&<>"'\r]/g, (c) =>
    defined(
      { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#13;" }[c],
      '({ "&": "&amp;", "<": "&lt;", ">": "&gt;", \'"\':...',
    ),
  );

function write(name: string, value: XmlValue, out: string[]): void {
  if (typeof value !== "object") {
    out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
    return;
  }
  out.push(`<${name}>`);
  writeFields(value, out);
  out.push(`</${name}>`);
}

function writeFields(fields: XmlFields, out: string[]): void {
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    // "#": the element's own text (a root such as <LocationConstraint>eu-west-1</LocationConstraint>).
    if (name === "#") {
      const text = value as string | number | boolean; // a root's own text is never a field list
      out.push(escapeXml(String(text)));
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) write(name, item, out);
  }
}

/** A whole document: <?xml?> and the root element (in S3's namespace unless `namespaced` is false). */
export function xmlDocument(root: string, fields: XmlFields, namespaced = true): Buffer {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n', namespaced ? `<${root} xmlns="${NS}">` : `<${root}>`];
  writeFields(fields, out);
  out.push(`</${root}>`);
  return Buffer.from(out.join(""));
}

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescape(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#x")) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number(ref.slice(1)));
    return ENTITIES[ref] ?? whole;
  });
}

const malformed = () =>
  new S3Error(
    "MalformedXML",
    "The XML you provided was not well-formed or did not validate against our published schema",
  );

// The token alternatives parseXml matches, in order; the capture groups count across them:
// 1 CDATA text; 2 "/" of an end tag, 3 name, 4 attributes, 5 "/" of an empty element; 6 text.
const PROLOG = /<\?[^]*?\?>/.source;
const COMMENT = /<!--[^]*?-->/.source;
const CDATA = /<!\[CDATA\[([^]*?)\]\]>/.source;
const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.source;
const TEXT = /([^<]+)/.source;

/** Parses a request body; anything not well formed is S3's MalformedXML. */
export function parseXml(text: string): XmlElement {
  const tokens = new RegExp([PROLOG, COMMENT, CDATA, TAG, TEXT].join("|"), "gy");
  const stack: XmlElement[] = [{ name: "#document", children: [], text: "" }];
  let at = 0;
  for (let m = tokens.exec(text); m !== null; m = tokens.exec(text)) {
    at = tokens.lastIndex;
    const top = defined(stack[stack.length - 1], "stack[stack.length - 1]");
    if (m[1] !== undefined) top.text += m[1];
    else if (m[6] !== undefined) top.text += unescape(m[6]);
    else if (m[3] !== undefined) {
      const name = m[3].replace(/^.*:/, "");
      if (m[2] === "/") {
        if (top.name !== name || stack.length < 2) throw malformed();
        stack.pop();
      } else {
        const element = { name, children: [], text: "" };
        top.children.push(element);
        if (m[5] !== "/") stack.push(element);
      }
    }
  }
  const root = defined(stack[0], "stack[0]").children[0];
  if (
    at !== text.length ||
    stack.length !== 1 ||
    root === undefined ||
    defined(stack[0], "stack[0]").children.length !== 1
  )
    throw malformed();
  return root;
}

export const childrenNamed = (element: XmlElement, name: string): XmlElement[] =>
  element.children.filter((c) => c.name === name);
export const childNamed = (element: XmlElement, name: string): XmlElement | undefined =>
  element.children.find((c) => c.name === name);
export const childText = (element: XmlElement, name: string): string | undefined =>
  childNamed(element, name)?.text.trim();
