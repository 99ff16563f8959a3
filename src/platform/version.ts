// The package version, shared by `glacier --version` and `git-annex-remote-glacier --version`
// without loading the CLI's argument parser into the remote.
export const VERSION = "0.1.0";
