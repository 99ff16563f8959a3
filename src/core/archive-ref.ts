// Archive refs and how archives are shown (docs/compatibility.md#archive-refs, docs/compatibility.md#commands
// `archive list`, docs/compatibility.md#fork-commands).
import { ConsoleError } from "./errors.ts";
import { pyRepr } from "./py-repr.ts";

/**
 * docs/compatibility.md#archive-refs: "A ref starting with `id:` matches on `id` = the rest of the ref. A ref
 * starting with `name:` matches on `name` = the rest of the ref. Any other ref matches on `name` =
 * the whole ref."
 */
export type ArchiveRef = { by: "id"; id: string } | { by: "name"; name: string };

export function parseArchiveRef(ref: string): ArchiveRef {
  if (ref.startsWith("id:")) return { by: "id", id: ref.slice("id:".length) };
  if (ref.startsWith("name:")) return { by: "name", name: ref.slice("name:".length) };
  return { by: "name", name: ref };
}

export interface ArchiveIdentity {
  id: string;
  name: string | null;
}

/**
 * docs/compatibility.md#archive-refs: a name beginning with `name:` or `id:` prints as `name:<name>`; any other
 * non-empty name prints as itself; an empty or NULL name prints as `id:<archive id>`.
 * parseArchiveRef(displayRef(a)) always finds `a` again.
 */
export function displayRef(archive: ArchiveIdentity): string {
  const { name } = archive;
  if (name === null || name === "") return `id:${archive.id}`;
  if (name.startsWith("name:") || name.startsWith("id:")) return `name:${name}`;
  return name;
}

/** `archive 'X' not found`: the message of every command that cannot resolve a ref. */
export function notFoundMessage(ref: string): string {
  return `archive ${pyRepr(ref)} not found`;
}

/**
 * Several live archives carry the name a ref asked for. glacier-cli let SQLAlchemy's
 * MultipleResultsFound escape as a traceback (https://github.com/basak/glacier-cli/issues/34); the
 * maintainer wants a refusal with a better message, never "pick the first one"
 * (https://github.com/basak/glacier-cli/pull/68 was rejected). One line, with the ids.
 */
export function ambiguousNameMessage(ref: string, ids: readonly string[]): string {
  const choices = ids.map((id) => `id:${id}`).join(", ");
  return (
    `archive ${pyRepr(ref)} is ambiguous: ${ids.length} archives have this name (${choices}); use id:<archive ` +
    `id> to choose one`
  );
}

/**
 * The one row a lookup must find (docs/compatibility.md#archive-refs: exactly one row must match): undefined when
 * there is none, a ConsoleError listing the ids when there are several.
 */
export function singleMatch<T extends ArchiveIdentity>(ref: string, matches: readonly T[]): T | undefined {
  if (matches.length > 1)
    throw new ConsoleError(
      ambiguousNameMessage(
        ref,
        matches.map((m) => m.id),
      ),
    );
  return matches[0];
}
