// git-annex keys inside archive names, for the built-in `type=glacier` remote
// (docs/annex-protocol.md#built-in-glacier-remote): ARCHIVE = fileprefix + key, but with
// fileprefix set, git-annex's checkpresent looks for the key *without* the prefix among the lines
// `glacier archive checkpresent` prints. Printing the bare key as well lets git-annex recognise the
// copy; and git-annex's own empty-content keys (`-s0`) are parsed here for the external remote.

// BACKEND[-sSIZE][-mMTIME][-Sn-Cn]--NAME: a backend name, optional fields each a letter and digits,
// then "--" (git-annex's Key serialisation, https://git-annex.branchable.com/internals/key_format/).
// Only git-annex's own backend names count (https://git-annex.branchable.com/backends/), each also
// with the E (extension) variant, and the encrypted keys' GPGHMAC names: a suffix that merely looks
// like a key (`HA256E-s12--...` inside `SHA256E-s12--...`) is not one, and is not printed.
const HASHES = [
  "SHA1",
  "SHA224",
  "SHA256",
  "SHA384",
  "SHA512",
  "SHA3_224",
  "SHA3_256",
  "SHA3_384",
  "SHA3_512",
  "SKEIN256",
  "SKEIN512",
  "BLAKE2B160",
  "BLAKE2B224",
  "BLAKE2B256",
  "BLAKE2B384",
  "BLAKE2B512",
  "BLAKE2BP512",
  "BLAKE2S160",
  "BLAKE2S224",
  "BLAKE2S256",
  "BLAKE2SP224",
  "BLAKE2SP256",
  "MD5",
];
const BACKEND = `(?:(?:${HASHES.join("|")})E?|WORM|URL|VURL|GPGHMACSHA1|GPGHMACSHA256)`;
const KEY_START = new RegExp(`^${BACKEND}(?:-[a-zA-Z]\\d+)*--.`);
/** A whole key: git-annex never sends one holding whitespace (docs/annex-protocol.md#wire-format). */
const WHOLE_KEY = new RegExp(`^${BACKEND}(?:-[a-zA-Z]\\d+)*--\\S+$`);

/** Whether `text` is one git-annex key, nothing before or after it. */
export function isAnnexKey(text: string): boolean {
  return WHOLE_KEY.test(text);
}

/**
 * Every proper suffix of an archive name that parses as a git-annex key, longest first. The prefix
 * may end in anything (`pfx/`, `repo_`, `pfx-`, `Backup-`, `repo2`), so no boundary is skipped;
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
