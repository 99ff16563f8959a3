import { connect, createServer, type AddressInfo, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { spentChunk } from "./spent-chunks.ts";

const MiB = 1024 * 1024;
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A loopback server that sends `total` bytes to each connection, then ends it. */
async function sender(total: number): Promise<number> {
  const block = Buffer.alloc(MiB, 7);
  const server = createServer((socket) => {
    let sent = 0;
    const pump = (): void => {
      while (sent < total) {
        sent += block.length;
        if (!socket.write(block)) {
          socket.once("drain", pump);
          return;
        }
      }
      socket.end();
    };
    pump();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

describe("spent chunks", () => {
  it("keeps the spent chunks of four sockets read at once to a few MB, where V8 alone lets 32 MB wait", async () => {
    const total = 96 * MiB;
    const port = await sender(total);
    const kept = Buffer.allocUnsafeSlow(MiB);
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    let received = 0;
    await Promise.all(
      [1, 2, 3, 4].map(async () => {
        for await (const chunk of connect(port, "127.0.0.1")) {
          const bytes = chunk as Buffer;
          bytes.copy(kept, 0, 0, Math.min(bytes.length, kept.length));
          received += bytes.length;
          spentChunk(bytes.length);
          peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
        }
      }),
    );
    expect(received).toBe(4 * total);
    expect(peak).toBeLessThan(24 * MiB);
  });
});
