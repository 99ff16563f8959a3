// S3 error replies and request shapes seen on the wire (plain fetch, auth off): S3's XML error body,
// no body on HEAD, aws-chunked framing errors, Content-MD5, malformed XML, transport faults.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { s3Emulator } from "./s3-helpers.ts";

async function started() {
  const t = await s3Emulator({ auth: "off" });
  const at = (path: string, init?: RequestInit) => fetch(`${t.emulator.url}${path}`, init);
  expect((await at("/errs", { method: "PUT" })).status).toBe(200);
  return { ...t, at };
}

describe("emulator S3 errors and wire formats", () => {
  it("answers errors with S3's XML (Code, Message, Resource, RequestId) and HEAD errors without a body", async () => {
    const { at } = await started();
    const missing = await at("/errs/no/such/key");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/xml");
    const text = await missing.text();
    const xmlDeclaration = /<\?xml version="1.0" encoding="UTF-8"\?>\n/.source;
    const code = /<Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message>/.source;
    const where = /<Key>no\/such\/key<\/Key><Resource>\/errs\/no\/such\/key<\/Resource>/.source;
    const requestId = /<RequestId>[A-Z0-9]{16}<\/RequestId>/.source;
    expect(text).toMatch(new RegExp(`^${xmlDeclaration}<Error>${code}${where}${requestId}</Error>$`));
    expect(text).toContain(`<RequestId>${missing.headers.get("x-amz-request-id")}</RequestId>`);
    const head = await at("/errs/nothing", { method: "HEAD" });
    expect([head.status, head.headers.get("content-length"), await head.text()]).toEqual([404, "0", ""]);
    const bucket = await at("/nobucket/k");
    expect(await bucket.text()).toContain(
      "<Code>NoSuchBucket</Code><Message>The specified bucket does not " +
        "exist</Message><BucketName>nobucket</BucketName>",
    );
    const method = await at("/errs/k", { method: "PATCH" });
    expect([method.status, (await method.text()).includes("<Code>MethodNotAllowed</Code>")]).toEqual([405, true]);
    const xml = await at("/errs?delete", { method: "POST", body: "<Delete><Object><Key>a</Key></Object>" });
    expect([xml.status, (await xml.text()).includes("<Code>MalformedXML</Code>")]).toEqual([400, true]);
  });

  it(
    "checks Content-MD5 and decodes an unsigned aws-chunked body with its trailing checksum, refusing a wrong " + "one",
    async () => {
      const { at } = await started();
      const md5 = (s: string) => createHash("md5").update(s).digest("base64");
      expect(
        (await at("/errs/md5", { method: "PUT", body: "abc", headers: { "content-md5": md5("abc") } })).status,
      ).toBe(200);
      const bad = await at("/errs/md5", { method: "PUT", body: "abc", headers: { "content-md5": md5("abd") } });
      expect([bad.status, (await bad.text()).includes("<Code>BadDigest</Code>")]).toEqual([400, true]);
      const chunked = (crc: string) =>
        at("/errs/chunked", {
          method: "PUT",
          body: `3\r\nabc\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`,
          headers: {
            "content-encoding": "aws-chunked",
            "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            "x-amz-decoded-content-length": "3",
            "x-amz-trailer": "x-amz-checksum-crc32",
          },
        });
      // CRC32("abc") = 0x352441c2.
      const good = await chunked("NSRBwg==");
      expect([good.status, good.headers.get("x-amz-checksum-crc32")]).toEqual([200, "NSRBwg=="]);
      expect(await (await at("/errs/chunked")).text()).toBe("abc");
      const wrong = await chunked("AAAAAA==");
      expect([wrong.status, (await wrong.text()).includes("<Code>BadDigest</Code>")]).toEqual([400, true]);
      const cut = await at("/errs/cut", {
        method: "PUT",
        body: "3\r\nab",
        headers: { "content-encoding": "aws-chunked", "x-amz-decoded-content-length": "3" },
      });
      expect([cut.status, (await cut.text()).includes("<Code>IncompleteBody</Code>")]).toEqual([400, true]);
      expect((await at("/errs/cut")).status).toBe(404);
    },
  );

  it(
    "stores an object whose answer a reset-after fault " + "replaced, and logs the S3 operation with the fault",
    async () => {
      const { at, emulator } = await started();
      emulator.control.setFaults("reset-after,op=PutObject,times=1");
      await expect(at("/errs/kept", { method: "PUT", body: "stored anyway" })).rejects.toThrow();
      expect(await (await at("/errs/kept")).text()).toBe("stored anyway");
      expect(
        emulator.control
          .requestLog()
          .filter((e) => e.operation === "PutObject")
          .map((e) => e.faults),
      ).toEqual([["reset-after"]]);
    },
  );
});
