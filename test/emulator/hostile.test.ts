// Hostile requests: Glacier's error JSON or a closed connection, never a crash,
// and the server keeps serving.
import { connect } from "node:net";
import { request } from "node:http";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { testEmulator } from "./helpers.ts";

const versioned = { "x-amz-glacier-version": "2012-06-01" };

/** Sends raw bytes and resolves with everything the server answered before closing. */
function raw(url: string, payload: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.write(payload));
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", () => {
      resolve(Buffer.concat(chunks).toString());
    });
    socket.on("close", () => {
      resolve(Buffer.concat(chunks).toString());
    });
  });
}

async function stillServes(url: string): Promise<void> {
  const response = await fetch(`${url}/-/vaults`, { headers: versioned });
  expect(response.status).toBe(200);
}

describe("hostile requests", () => {
  it("answers malformed JSON with SerializationException", async () => {
    const { emulator } = await testEmulator({ auth: "off" });
    await fetch(`${emulator.url}/-/vaults/v`, { method: "PUT", headers: versioned });
    const response = await fetch(`${emulator.url}/-/vaults/v/jobs`, {
      method: "POST",
      headers: versioned,
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toMatchObject({ code: "SerializationException", type: "Client" });
  });

  it("answers a wrong method and an unknown path with error JSON", async () => {
    const { emulator } = await testEmulator({ auth: "off" });
    const patch = await fetch(`${emulator.url}/-/vaults/v`, { method: "PATCH", headers: versioned });
    expect(patch.status).toBe(405);
    expect(await patch.json()).toMatchObject({ code: "UnknownOperationException" });
    for (const path of ["/", "/favicon.ico", "/-/vaults/v/nothing/here", "/-/vaults/%E0%A4%A"]) {
      const response = await fetch(`${emulator.url}${path}`, { headers: versioned });
      expect(response.status).toBe(400);
      expect(Object.keys((await response.json()) as object)).toEqual(["code", "message", "type"]);
    }
    await stillServes(emulator.url);
  });

  it("refuses oversized headers with a closed connection and keeps serving", async () => {
    const { emulator } = await testEmulator({ auth: "off" });
    const answer = await raw(
      emulator.url,
      `GET /-/vaults HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(100_000)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431/);
    await stillServes(emulator.url);
  });

  it("answers garbage bytes with 400 and keeps serving", async () => {
    const { emulator } = await testEmulator({ auth: "off" });
    const answer = await raw(emulator.url, "\x00\x01 hello there\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('"code":"BadRequest"');
    await stillServes(emulator.url);
  });

  it("survives a client that disconnects in the middle of an upload and leaves no stray file", async () => {
    const { emulator, dataDir } = await testEmulator({ auth: "off" });
    await fetch(`${emulator.url}/-/vaults/v`, { method: "PUT", headers: versioned });
    const req = request(`${emulator.url}/-/vaults/v/archives`, {
      method: "POST",
      headers: {
        ...versioned,
        "content-length": String(8 << 20),
        "x-amz-sha256-tree-hash": "0".repeat(64),
        "x-amz-content-sha256": "0".repeat(64),
      },
    });
    req.on("error", () => undefined);
    req.write(Buffer.alloc(1 << 20));
    // Events, not sleeps: the emulator is receiving (its temporary file exists), the client goes away,
    // and the emulator removes what it received.
    const tmpFiles = () => readdir(join(dataDir, "tmp"));
    await vi.waitFor(
      async () => {
        expect(await tmpFiles()).toHaveLength(1);
      },
      { timeout: 30_000, interval: 10 },
    );
    req.destroy();
    await vi.waitFor(
      async () => {
        expect(await tmpFiles()).toEqual([]);
      },
      { timeout: 30_000, interval: 10 },
    );
    await stillServes(emulator.url);
    expect(await readdir(join(dataDir, "archives"))).toEqual([]);
  });
});
