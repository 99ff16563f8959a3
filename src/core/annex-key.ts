// git-annex keys inside archive names, for the built-in `type=glacier` remote
// (docs/annex-protocol.md#built-in-glacier-remote): ARCHIVE = fileprefix + key, but with
// fileprefix set, git-annex's checkpresent looks for the key *without* the prefix among the lines
// `glacier archive checkpresent` prints. Printing the bare key as well lets git-annex recognise the
// copy; and git-annex's own empty-content keys (`-s0`) are parsed here for the external remote.

// BACKEND[-sSIZE][-mMTIME][-Sn-Cn]--NAME: an upper-case backend name, optional fields each a letter
// and digits, then "--" (git-annex's Key serialisation).
const KEY_START = /^[A-Z][A-Z0-9]*(?:-[a-zA-Z]\d+)*--./;

/**
 * Every proper suffix of an archive name that parses as a git-annex key, longest first. The prefix
 * may end in anything (`pfx/`, `repo_`, `pfx-`, `Backup-`, `repo2`), so no boundary is skipped:
 * a suffix that only looks like a key (`HA256E-s12--...`) is printed too, which is harmless because
 * git-annex only checks whether its own key is among the lines.
 */
export function annexKeysAfterPrefix(name: string): string[] {
  const keys: string[] = [];
  for (let i = 1; i < name.length; i++) {
    const rest = name.slice(i);
    if (KEY_START.test(rest)) keys.push(rest);
  }
  return keys;
}

const SIZE_FIELD = /^[A-Z][A-Z0-9]*(?:-[a-zA-Z]\d+)*?-s(\d+)(?:-[a-zA-Z]\d+)*--/;

/**
 * The content size a key declares (`-sN`), or undefined when it has none (WORM without size, or an
 * encrypted key: `GPGHMACSHA1--...` hides the size). A chunk key's `s` is the whole file's size.
 */
export function annexKeySize(key: string): number | undefined {
  const match = SIZE_FIELD.exec(key);
  return match ? Number(match[1]) : undefined;
}
