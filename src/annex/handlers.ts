// What each request asks of the SpecialRemote and which reply carries the answer or the failure
// (docs/annex-protocol.md#requests). EXTENSIONS and EXPORT change session state and live in session.ts.
import type { RemoteMessage } from "./messages.ts";
import type { RemoteContext, SpecialRemote } from "./remote.ts";
import type { RequestKeyword, RequestOf } from "./requests.ts";

export interface Handler<K extends RequestKeyword> {
  /**
   * "Every other request is preceded by PREPARE once per process"; answering a Key request before a
   * successful PREPARE would run the remote unconfigured, so the session fails it instead.
   */
  readonly needsPrepare?: boolean;
  run(request: RequestOf<K>, remote: SpecialRemote, context: RemoteContext): Promise<RemoteMessage[]>;
  /** The reply when run throws. Requests without a failure reply answer ERROR. */
  fail?(request: RequestOf<K>, message: string): RemoteMessage;
}

const unsupported: RemoteMessage[] = [{ keyword: "UNSUPPORTED-REQUEST" }];

export const HANDLERS: { readonly [K in Exclude<RequestKeyword, "EXTENSIONS" | "EXPORT">]: Handler<K> } = {
  INITREMOTE: {
    async run(_request, remote, context) {
      await remote.initRemote(context);
      return [{ keyword: "INITREMOTE-SUCCESS" }];
    },
    fail: (_request, message) => ({ keyword: "INITREMOTE-FAILURE", message }),
  },
  PREPARE: {
    async run(_request, remote, context) {
      await remote.prepare(context);
      return [{ keyword: "PREPARE-SUCCESS" }];
    },
    fail: (_request, message) => ({ keyword: "PREPARE-FAILURE", message }),
  },
  TRANSFER: {
    needsPrepare: true,
    async run({ direction, key, file }, remote, context) {
      if (direction === "STORE") await remote.store(context, key, file);
      else await remote.retrieve(context, key, file);
      // "The Key and direction in a reply must equal the request's": both are taken from the request.
      return [{ keyword: "TRANSFER-SUCCESS", direction, key }];
    },
    fail: ({ direction, key }, message) => ({ keyword: "TRANSFER-FAILURE", direction, key, message }),
  },
  CHECKPRESENT: {
    needsPrepare: true,
    async run({ key }, remote, context) {
      const presence = await remote.checkPresent(context, key);
      if (presence.kind === "present") return [{ keyword: "CHECKPRESENT-SUCCESS", key }];
      if (presence.kind === "absent") return [{ keyword: "CHECKPRESENT-FAILURE", key }];
      return [{ keyword: "CHECKPRESENT-UNKNOWN", key, message: presence.reason }];
    },
    // Whatever the error's annexOutcome, a failed check is UNKNOWN: FAILURE claims the key is absent,
    // and "a false FAILURE is dangerous. It causes duplicate uploads and fsck erasing location info".
    fail: ({ key }, message) => ({ keyword: "CHECKPRESENT-UNKNOWN", key, message }),
  },
  REMOVE: {
    needsPrepare: true,
    async run({ key }, remote, context) {
      await remote.remove(context, key);
      return [{ keyword: "REMOVE-SUCCESS", key }];
    },
    fail: ({ key }, message) => ({ keyword: "REMOVE-FAILURE", key, message }),
  },
  LISTCONFIGS: {
    async run(_request, remote, context) {
      if (!remote.listConfigs) return unsupported;
      const settings = await remote.listConfigs(context);
      return [
        ...settings.map((s): RemoteMessage => ({ keyword: "CONFIG", name: s.name, description: s.description })),
        { keyword: "CONFIGEND" },
      ];
    },
  },
  GETCOST: {
    async run(_request, remote, context) {
      return remote.getCost ? [{ keyword: "COST", cost: await remote.getCost(context) }] : unsupported;
    },
  },
  GETAVAILABILITY: {
    async run(_request, remote, context) {
      if (!remote.getAvailability) return unsupported;
      return [{ keyword: "AVAILABILITY", availability: await remote.getAvailability(context) }];
    },
  },
  CLAIMURL: {
    async run({ url }, remote, context) {
      if (!remote.claimUrl) return unsupported;
      return [{ keyword: (await remote.claimUrl(context, url)) ? "CLAIMURL-SUCCESS" : "CLAIMURL-FAILURE" }];
    },
    fail: () => ({ keyword: "CLAIMURL-FAILURE" }),
  },
  CHECKURL: {
    async run({ url }, remote, context) {
      if (!remote.checkUrl) return unsupported;
      const check = await remote.checkUrl(context, url);
      if (check.kind === "contents")
        return [{ keyword: "CHECKURL-CONTENTS", size: check.size, filename: check.filename }];
      if (check.kind === "multi") return [{ keyword: "CHECKURL-MULTI", entries: check.entries }];
      return [{ keyword: "CHECKURL-FAILURE", message: check.message }];
    },
    fail: (_request, message) => ({ keyword: "CHECKURL-FAILURE", message }),
  },
  WHEREIS: {
    needsPrepare: true,
    async run({ key }, remote, context) {
      if (!remote.whereis) return unsupported;
      const text = await remote.whereis(context, key);
      return [text === undefined ? { keyword: "WHEREIS-FAILURE" } : { keyword: "WHEREIS-SUCCESS", text }];
    },
    fail: () => ({ keyword: "WHEREIS-FAILURE" }),
  },
  GETINFO: {
    async run(_request, remote, context) {
      if (!remote.getInfo) return unsupported;
      const fields = await remote.getInfo(context);
      return [
        ...fields.flatMap((f): RemoteMessage[] => [
          { keyword: "INFOFIELD", name: f.name },
          { keyword: "INFOVALUE", value: f.value },
        ]),
        { keyword: "INFOEND" },
      ];
    },
  },
  EXPORTSUPPORTED: {
    // docs/annex-protocol.md#export: answer EXPORTSUPPORTED-FAILURE unless the remote says otherwise.
    async run(_request, remote, context) {
      const supported = remote.exportSupported ? await remote.exportSupported(context) : false;
      return [{ keyword: supported ? "EXPORTSUPPORTED-SUCCESS" : "EXPORTSUPPORTED-FAILURE" }];
    },
    fail: () => ({ keyword: "EXPORTSUPPORTED-FAILURE" }),
  },
  GETORDERED: {
    async run(_request, remote, context) {
      if (!remote.getOrdered) return unsupported;
      return [{ keyword: (await remote.getOrdered(context)) ? "ORDERED" : "UNORDERED" }];
    },
  },
};
