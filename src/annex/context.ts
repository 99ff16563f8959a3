// RemoteContext over a Channel: each query is one message out and, when git-annex answers it, one
// reply read back before anything else happens (docs/annex-protocol.md#messages).
import { ConsoleError, InternalError } from "../core/errors.ts";
import { type Channel, UnexpectedReplyError } from "./channel.ts";
import type { RemoteMessage } from "./messages.ts";
import type { Creds, RemoteContext } from "./remote.ts";
import { decodeText } from "./wire.ts";

export interface ContextOptions {
  channel: Channel;
  extensions: ReadonlySet<string>;
  /** A line for the user outside the protocol (stderr, which git-annex relays). */
  log: (line: string) => void;
}

export interface RequestContext {
  readonly context: RemoteContext;
  /** Ends the request: later calls reject, so a stray PROGRESS cannot land between other replies. */
  close: () => void;
}

export function createContext(options: ContextOptions): RequestContext {
  let open = true;
  const context = contextOver(options);
  const guarded = Object.fromEntries(
    Object.entries(context as unknown as Record<string, unknown>).map(([name, member]) => [
      name,
      typeof member === "function"
        ? (...args: unknown[]) =>
            open
              ? (member as (...args: unknown[]) => unknown)(...args)
              : Promise.reject(new InternalError(`${name}() called after its request was answered`))
        : member,
    ]),
  ) as unknown as RemoteContext;
  return { context: guarded, close: () => void (open = false) };
}

function contextOver({ channel, extensions, log }: ContextOptions): RemoteContext {
  const tell = (message: RemoteMessage) => channel.send(message);
  const value = async (message: RemoteMessage): Promise<Uint8Array> => {
    const [reply] = await channel.ask(message);
    if (reply?.keyword !== "VALUE") throw new UnexpectedReplyError(`no VALUE for ${message.keyword}`);
    return reply.value;
  };
  const text = async (message: RemoteMessage) => decodeText(await value(message));

  return {
    extensions,
    progress: (bytes) => tell({ keyword: "PROGRESS", bytes }),
    async debug(message) {
      // One DEBUG line per line of text, as annexremote's log handler does.
      for (const line of message.split(/\r\n|[\r\n]/)) await tell({ keyword: "DEBUG", message: line });
    },
    async info(message) {
      // "INFO msg ... Only if INFO was offered"; without it, stderr reaches the user too.
      if (!extensions.has("INFO")) {
        for (const line of message.split(/\r\n|[\r\n]/)) log(line);
        return;
      }
      for (const line of message.split(/\r\n|[\r\n]/)) await tell({ keyword: "INFO", message: line });
    },
    getConfig: (setting) => text({ keyword: "GETCONFIG", setting }),
    setConfig: (setting, value) => tell({ keyword: "SETCONFIG", setting, value }),
    async getCreds(setting): Promise<Creds> {
      const [reply] = await channel.ask({ keyword: "GETCREDS", setting });
      if (reply?.keyword !== "CREDS") throw new UnexpectedReplyError("no CREDS for GETCREDS");
      return { user: decodeText(reply.user), password: decodeText(reply.password) };
    },
    setCreds: (setting, user, password) => tell({ keyword: "SETCREDS", setting, user, password }),
    getUuid: () => text({ keyword: "GETUUID" }),
    getGitDir: () => value({ keyword: "GETGITDIR" }),
    async getGitRemoteName() {
      if (!extensions.has("GETGITREMOTENAME")) {
        throw new ConsoleError("GETGITREMOTENAME needs the extension, which git-annex did not offer");
      }
      return text({ keyword: "GETGITREMOTENAME" });
    },
    getState: (key) => text({ keyword: "GETSTATE", key }),
    setState: (key, value) => tell({ keyword: "SETSTATE", key, value }),
    dirHash: (key) => value({ keyword: "DIRHASH", key }),
    dirHashLower: (key) => value({ keyword: "DIRHASH-LOWER", key }),
    getWanted: () => text({ keyword: "GETWANTED" }),
    setWanted: (expression) => tell({ keyword: "SETWANTED", expression }),
    setUrlPresent: (key, url) => tell({ keyword: "SETURLPRESENT", key, url }),
    setUrlMissing: (key, url) => tell({ keyword: "SETURLMISSING", key, url }),
    setUriPresent: (key, url) => tell({ keyword: "SETURIPRESENT", key, url }),
    setUriMissing: (key, url) => tell({ keyword: "SETURIMISSING", key, url }),
    async getUrls(key, prefix) {
      const replies = await channel.ask({ keyword: "GETURLS", key, prefix });
      return replies.flatMap((reply) => (reply.keyword === "VALUE" ? [reply.value] : []));
    },
  };
}
