// The annex protocol core's public surface: a SpecialRemote implementation needs only these.
export { AnnexClosedError, QueryRefusedError, type Transport, UnexpectedReplyError } from "./channel.ts";
export { serveRemote, type RemoteStreams, type ServeOptions } from "./io.ts";
export type {
  Availability,
  ConfigSetting,
  Creds,
  Direction,
  InfoField,
  Presence,
  RemoteContext,
  SpecialRemote,
  UrlCheck,
} from "./remote.ts";
export { runSession, type SessionOptions, SUPPORTED_EXTENSIONS } from "./session.ts";
