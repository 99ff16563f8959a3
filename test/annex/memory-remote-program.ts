// A real program for the process-level tests: the in-memory remote served over this process's
// stdin/stdout by io.ts, exiting when git-annex closes stdin. Bundled by test/annex/process.test.ts.
import { serveRemote } from "../../src/annex/io.ts";
import { memoryRemote } from "./memory-remote.ts";

const end = await serveRemote(
  memoryRemote(),
  { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  { program: "memory-remote" },
);
if (end === "protocol-error") process.exitCode = 1;
