// Archive name -> relative path under a restore DIR. Names are made safe: nothing is ever written
// outside DIR (`..`, absolute paths, NUL, device names refused with a warning).
// A name is split on "/" only. Refused: whatever could leave DIR or reach a device on Linux, macOS
// or Windows (the same names on every platform), and whatever no file system can hold. Other
// characters (":", "?", control characters) are legal file names on Linux and macOS and are kept.
// Each refusal has a one-line reason for the warning.

import { bytesFromName } from "./byte-names.ts";

export type SafePath = { ok: true; segments: string[]; relativePath: string } | { ok: false; reason: string };

/** NAME_MAX of ext4, XFS, btrfs, APFS (bytes of UTF-8) and NTFS (UTF-16 units, fewer than bytes). */
export const MAX_SEGMENT_BYTES = 255;
/** PATH_MAX is 4096 including the NUL; leave room for nothing else, DIR is added by the caller. */
export const MAX_PATH_BYTES = 4095;

// Win32 reserves these names in every folder, with any extension, in any case, and with trailing
// spaces or dots ("CON", "con.txt", "Nul .tar"); COM/LPT also take the superscript digits ¹²³.
const DEVICE_NAME = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(?:[ .].*)?$/i;
const DRIVE_LETTER = /^[a-z]:/i;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Bytes on disk: a name that is not UTF-8 has its escaped bytes (core/byte-names.ts). */
const byteLength = (text: string): number => bytesFromName(text).length;
const refuse = (reason: string): SafePath => ({ ok: false, reason });

export function safeRelativePath(name: string): SafePath {
  if (name === "") return refuse("empty name");
  if (name.includes("\0")) return refuse("contains a NUL character");
  if (LONE_SURROGATE.test(name)) return refuse("not valid Unicode (lone surrogate)");
  if (name.startsWith("/")) return refuse("absolute path");
  // Windows reads "\" as a separator: "a\..\..\x" would climb out of DIR there.
  if (name.includes("\\")) return refuse("contains a backslash");
  if (DRIVE_LETTER.test(name)) return refuse("starts with a Windows drive letter");
  if (byteLength(name) > MAX_PATH_BYTES) return refuse(`longer than ${MAX_PATH_BYTES} bytes`);
  const segments = name.split("/");
  for (const segment of segments) {
    if (segment === "") return refuse('empty path segment ("//" or a trailing "/")');
    if (segment === "..") return refuse('".." path segment');
    if (segment === ".") return refuse('"." path segment');
    if (DEVICE_NAME.test(segment)) return refuse(`Windows device name ${JSON.stringify(segment)}`);
    if (byteLength(segment) > MAX_SEGMENT_BYTES) return refuse(`path segment longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  return { ok: true, segments, relativePath: segments.join("/") };
}
