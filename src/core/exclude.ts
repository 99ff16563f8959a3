// `--exclude GLOB` over paths relative to DIR, with `/` separators. Globs are
// matched by picomatch (bash glob syntax: *, **, ?, [...], {a,b}, extglobs), its POSIX build, so the
// result does not depend on the platform. Anchoring follows .gitignore and rsync:
// - a pattern without "/" matches a file or folder name at any depth ("*.tmp", ".DS_Store");
// - a pattern with a "/" is anchored at DIR ("bands/0*"); a leading "/" only anchors ("/token");
// - a trailing "/" matches folders only ("cache/").
// An excluded folder is not entered, so nothing below it is listed.
import picomatch from "picomatch/posix.js";
import { UsageError } from "./errors.ts";

export interface ExcludeMatcher {
  /** True when the file or folder at `relativePath` is excluded. */
  (relativePath: string, isDirectory: boolean): boolean;
}

interface Compiled {
  match: (path: string) => boolean;
  directoryOnly: boolean;
}

function compile(pattern: string): Compiled {
  let body = pattern;
  const directoryOnly = body.endsWith("/");
  if (directoryOnly) body = body.replace(/\/+$/, "");
  const anchored = body.startsWith("/") || body.includes("/");
  body = body.replace(/^\/+/, "");
  if (body === "")
    throw new UsageError(`--exclude ${JSON.stringify(pattern)} matches nothing: give a file or folder pattern`);
  // dot: a "*" also matches names starting with "." (hidden files are part of the tree; only a
  // pattern leaves them out).
  return { match: picomatch(anchored ? body : `**/${body}`, { dot: true }), directoryOnly };
}

export function excludeMatcher(patterns: readonly string[]): ExcludeMatcher {
  const compiled = patterns.map(compile);
  return (relativePath, isDirectory) =>
    compiled.some((c) => (isDirectory || !c.directoryOnly) && c.match(relativePath));
}
