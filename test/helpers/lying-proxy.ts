// A proxy between a client and the emulator that lies the way a broken middlebox or another
// Glacier implementation can: it drops the tree-hash headers and fields, flips one byte of an
// archive's job output, and rewrites ArchiveSizeInBytes in job descriptions. node:http on
// 127.0.0.1, port 0; the rules can be changed between commands.
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface LieRules {
  /** Remove x-amz-sha256-tree-hash and every SHA256TreeHash / ArchiveSHA256TreeHash field. */
  dropTreeHash?: boolean;
  /** Flip one byte in the middle of every archive job output (application/octet-stream). */
  flipByte?: boolean;
  /** Report this ArchiveSizeInBytes in DescribeJob and ListJobs answers. */
  archiveSize?: number;
}

export interface LyingProxy {
  url: string;
  rules: LieRules;
  /** Responses changed so far. */
  lies: number;
  close(): Promise<void>;
}

const HASH_FIELDS = new Set(["SHA256TreeHash", "ArchiveSHA256TreeHash"]);

export async function startLyingProxy(upstream: string): Promise<LyingProxy> {
  const target = new URL(upstream);
  const proxy: LyingProxy = { url: "", rules: {}, lies: 0, close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    const forward = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        void readAll(answer).then(
          (body) => {
            const headers = { ...answer.headers };
            const changed = lie(proxy.rules, headers, body);
            if (changed.lied) proxy.lies++;
            headers["content-length"] = String(changed.body.length);
            delete headers["transfer-encoding"];
            res.writeHead(answer.statusCode ?? 500, headers);
            res.end(changed.body);
          },
          () => res.destroy(),
        );
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
    });
  return proxy;
}

function lie(rules: LieRules, headers: IncomingMessage["headers"], body: Buffer): { body: Buffer; lied: boolean } {
  let lied = false;
  if (rules.dropTreeHash && headers["x-amz-sha256-tree-hash"] !== undefined) {
    delete headers["x-amz-sha256-tree-hash"];
    lied = true;
  }
  const type = headers["content-type"] ?? "";
  if (rules.flipByte && type === "application/octet-stream" && body.length > 0) {
    body = Buffer.from(body);
    body[body.length >> 1] = body[body.length >> 1]! ^ 0x01;
    lied = true;
  }
  if (
    (rules.dropTreeHash || rules.archiveSize !== undefined) &&
    type.startsWith("application/json") &&
    body.length > 0
  ) {
    const value = JSON.parse(body.toString("utf8")) as unknown;
    const before = JSON.stringify(value);
    const after = JSON.stringify(rewrite(value, rules));
    if (after !== before) {
      body = Buffer.from(after);
      lied = true;
    }
  }
  return { body, lied };
}

function rewrite(value: unknown, rules: LieRules): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, rules));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (rules.dropTreeHash && HASH_FIELDS.has(key)) continue;
    out[key] = key === "ArchiveSizeInBytes" && rules.archiveSize !== undefined ? rules.archiveSize : rewrite(v, rules);
  }
  return out;
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
