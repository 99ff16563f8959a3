// Protocol transcripts (protocol-fixtures/README.md): parse one, then replay it against a peer (a
// spawned program, or anything else that takes bytes in and gives lines out) comparing every line
// byte for byte. Directives other than the built-in ones go to a hook the caller supplies.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { LineBuffer } from "../../src/annex/wire.ts";

export type Step =
  | { kind: "send"; bytes: Uint8Array; line: number }
  | { kind: "expect"; bytes: Uint8Array; line: number }
  | { kind: "match"; pattern: RegExp; line: number }
  | { kind: "directive"; name: string; args: string; line: number };

export interface Transcript {
  source: string;
  steps: Step[];
}

export function parseTranscript(text: string | Uint8Array, source = "<transcript>"): Transcript {
  // One char per byte, so raw bytes in a fixture file (and UTF-8 in a test's string) survive as bytes.
  const raw = latin1(typeof text === "string" ? new TextEncoder().encode(text) : text);
  const steps: Step[] = [];
  raw.split("\n").forEach((content, index) => {
    const line = index + 1;
    const fail = (why: string): never => {
      throw new Error(`${source}:${line}: ${why}`);
    };
    if (content.length === 0 || content.startsWith("#")) return;
    if (content.includes("\r")) fail("raw CR in a transcript; write \\x0d");
    const marker = content[0];
    if (marker === "@") {
      // "@clock +5h": the name follows the @ directly; its arguments are the rest of the line.
      const [name = "", ...args] = content.slice(1).split(" ");
      if (!/^[a-z][a-z0-9-]*$/.test(name)) fail(`bad directive name "${name}"`);
      return void steps.push({ kind: "directive", name, args: args.join(" "), line });
    }
    if (content.length > 1 && content[1] !== " ") fail(`expected a space after "${marker}"`);
    const payload = content.slice(2);
    switch (marker) {
      case ">":
        return void steps.push({ kind: "send", bytes: unescape(payload, fail), line });
      case "<":
        return void steps.push({ kind: "expect", bytes: unescape(payload, fail), line });
      case "~":
        return void steps.push({ kind: "match", pattern: new RegExp(`^(?:${payload})$`, "s"), line });
      default:
        fail(`unknown line kind "${marker}" (use >, <, ~, @ or #)`);
    }
  });
  return { source, steps };
}

export async function loadTranscript(path: string): Promise<Transcript> {
  return parseTranscript(await readFile(path), path);
}

/** Something a transcript talks to: bytes in, lines out, then an exit. */
export interface TranscriptPeer {
  write(bytes: Uint8Array): Promise<void>;
  closeInput(): void;
  /** The next output line without 0x0A; undefined when output ended; rejects after timeoutMs. */
  readLine(timeoutMs: number): Promise<Uint8Array | undefined>;
  /** Waits for the end; leftover is output never read by a step (it fails the replay). */
  finish(timeoutMs: number): Promise<{ exitCode: number | null; leftover: Uint8Array; stderr: string }>;
  /** What the peer has written to stderr so far, for failure messages. */
  stderr(): string;
  /** Stops the peer after a failed replay (kills a spawned program), so nothing is left running. */
  dispose(): void;
}

export interface Directive {
  name: string;
  args: string;
  line: number;
}

export interface ReplayOptions {
  /** Directives other than @eof, @write, @exit, @stderr: e.g. "@clock +5h", "@fault InitiateJob 500". */
  onDirective?: (directive: Directive) => Promise<void> | void;
  lineTimeoutMs?: number;
  exitTimeoutMs?: number;
}

export interface ReplayResult {
  exitCode: number | null;
  stderr: string;
}

export async function replay(
  transcript: Transcript,
  peer: TranscriptPeer,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  try {
    return await replaySteps(transcript, peer, options);
  } catch (error) {
    peer.dispose();
    throw error;
  }
}

async function replaySteps(
  transcript: Transcript,
  peer: TranscriptPeer,
  options: ReplayOptions,
): Promise<ReplayResult> {
  const { lineTimeoutMs = 10_000, exitTimeoutMs = 10_000 } = options;
  let expectedExit = 0;
  const stderrPatterns: { pattern: RegExp; line: number }[] = [];
  let inputOpen = true;
  const fail = (line: number, why: string): never => {
    throw new Error(`${transcript.source}:${line}: ${why}\n--- stderr so far ---\n${peer.stderr()}`);
  };

  for (const step of transcript.steps) {
    if (step.kind === "send") {
      if (!inputOpen) fail(step.line, "send after @eof");
      await peer.write(concat(step.bytes, Uint8Array.of(0x0a)));
    } else if (step.kind === "expect" || step.kind === "match") {
      const actual = await peer
        .readLine(lineTimeoutMs)
        .catch((error: unknown) => fail(step.line, (error as Error).message));
      const wanted = step.kind === "expect" ? show(step.bytes) : `a line matching /${step.pattern.source}/`;
      if (actual === undefined) fail(step.line, `expected ${wanted} but output ended`);
      const ok = step.kind === "expect" ? equal(actual!, step.bytes) : step.pattern.test(latin1(actual!));
      if (!ok) fail(step.line, `expected ${wanted}\n      got ${show(actual!)}`);
    } else if (step.name === "eof") {
      peer.closeInput();
      inputOpen = false;
    } else if (step.name === "write") {
      await peer.write(unescape(step.args, (why) => fail(step.line, why)));
    } else if (step.name === "exit") {
      expectedExit = Number.parseInt(step.args, 10);
      if (!Number.isInteger(expectedExit)) fail(step.line, `@exit needs a number, got "${step.args}"`);
    } else if (step.name === "stderr") {
      stderrPatterns.push({ pattern: new RegExp(step.args, "m"), line: step.line });
    } else if (options.onDirective) {
      await options.onDirective({ name: step.name, args: step.args, line: step.line });
    } else {
      fail(step.line, `unknown directive @${step.name} and no directive hook`);
    }
  }

  const end = transcript.steps.at(-1)?.line ?? 0;
  if (inputOpen) peer.closeInput();
  const { exitCode, leftover, stderr } = await peer
    .finish(exitTimeoutMs)
    .catch((error: unknown) => fail(end, (error as Error).message));
  if (leftover.length > 0) fail(end, `unexpected output after the transcript: ${show(leftover)}`);
  if (exitCode !== expectedExit) fail(end, `expected exit code ${expectedExit}, got ${exitCode}`);
  for (const { pattern, line } of stderrPatterns) {
    if (!pattern.test(stderr)) fail(line, `stderr does not match /${pattern.source}/`);
  }
  return { exitCode, stderr };
}

/** A spawned program as a peer: stdin is written, stdout split into lines, stderr collected. */
export function spawnPeer(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): TranscriptPeer {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], env: options.env, cwd: options.cwd });
  const output = new OutputLines();
  let stderr = "";
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code) => {
      resolve(code);
    }),
  );
  child.stdout.on("data", (chunk: Buffer) => {
    output.append(chunk);
  });
  child.stdout.once("end", () => {
    output.end();
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("latin1")));
  child.stdin.on("error", () => {}); // EPIPE when the program exits early: the replay reports it
  child.once("error", (error) => (stderr += `spawn failed: ${error.message}\n`));

  return {
    write: (bytes) =>
      new Promise((resolve) =>
        child.stdin.write(bytes, () => {
          resolve();
        }),
      ),
    closeInput: () => void child.stdin.end(),
    readLine: (timeoutMs) => output.readLine(timeoutMs),
    async finish(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`the program did not exit within ${timeoutMs} ms of the end of input`));
        }, timeoutMs);
      });
      const exitCode = await Promise.race([exited, timeout]).finally(() => {
        clearTimeout(timer);
      });
      return { exitCode, leftover: output.leftover(), stderr };
    },
    stderr: () => stderr,
    dispose: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** A peer's output as lines, read with a timeout so that a silent peer fails instead of hanging. */
export class OutputLines {
  readonly #lines = new LineBuffer();
  #ended = false;
  #wake: (() => void) | undefined;

  append(chunk: Uint8Array): void {
    this.#lines.append(chunk);
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  async readLine(timeoutMs: number): Promise<Uint8Array | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.#lines.tryReadLine();
      if (line !== undefined) return line;
      if (this.#ended) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line from the peer within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** Everything not read yet, complete lines and a partial one. */
  leftover(): Uint8Array {
    const rest: Uint8Array[] = [];
    for (let line = this.#lines.tryReadLine(); line !== undefined; line = this.#lines.tryReadLine()) {
      rest.push(concat(line, Uint8Array.of(0x0a)));
    }
    rest.push(this.#lines.partial);
    return concat(...rest);
  }
}

// --- bytes ---

/** `\xNN` is a byte and `\\` a backslash; any other backslash is a mistake in the transcript. */
function unescape(payload: string, fail: (why: string) => never): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < payload.length; i++) {
    const char = payload.charCodeAt(i);
    if (char !== 0x5c) {
      bytes.push(char);
      continue;
    }
    const next = payload[i + 1];
    if (next === "\\") {
      bytes.push(0x5c);
      i += 1;
    } else if (next === "x" && /^[0-9a-fA-F]{2}$/.test(payload.slice(i + 2, i + 4))) {
      bytes.push(Number.parseInt(payload.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      fail(`bad escape at column ${i + 3}: use \\xNN or \\\\`);
    }
  }
  return Uint8Array.from(bytes);
}

/** Bytes for a failure message: printable ASCII as is, anything else as \xNN. */
export function show(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) {
    text +=
      byte >= 0x20 && byte < 0x7f && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return `"${text}"`;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}
