// git-annex keys inside archive names, for the built-in `type=glacier` remote (annex-protocol.md 9):
// ARCHIVE = fileprefix + key, but "with fileprefix set, checkpresent compares stdout to the key
// *without* the prefix. Such a remote is therefore always 'not present', and copy --to re-uploads
// every time." Printing the bare key as well lets git-annex recognise the copy.

// BACKEND[-sSIZE][-mMTIME][-Sn-Cn]--NAME: an upper-case backend name, optional fields each a letter
// and digits, then "--" (git-annex's Key serialisation).
const KEY_START = /^[A-Z][A-Z0-9]*(?:-[a-zA-Z]\d+)*--./;

/** The git-annex key at the end of a prefixed archive name, or undefined (no prefix, no key). */
export function annexKeyAfterPrefix(name: string): string | undefined {
  for (let i = 1; i < name.length; i++) {
    if (/[A-Z0-9-]/.test(name[i - 1]!)) continue;
    const rest = name.slice(i);
    if (KEY_START.test(rest)) return rest;
  }
  return undefined;
}
