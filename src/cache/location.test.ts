import { describe, expect, it } from "vitest";
import { CacheError } from "../core/errors.ts";
import { cacheDirFromEnv } from "./location.ts";

describe("cacheDirFromEnv", () => {
  it("uses --cache-dir first, resolved against the working directory", () => {
    expect(cacheDirFromEnv({ GLACIER_CACHE_DIR: "/env", HOME: "/home/u" }, "rel/cache", "/work")).toBe(
      "/work/rel/cache",
    );
  });

  it("uses GLACIER_CACHE_DIR when there is no flag", () => {
    expect(cacheDirFromEnv({ GLACIER_CACHE_DIR: "/srv/cache", XDG_CACHE_HOME: "/x", HOME: "/home/u" })).toBe(
      "/srv/cache",
    );
  });

  it("falls back to glacier-cli's $XDG_CACHE_HOME/glacier-cli, then $HOME/.cache/glacier-cli", () => {
    expect(cacheDirFromEnv({ XDG_CACHE_HOME: "/x", HOME: "/home/u" })).toBe("/x/glacier-cli");
    expect(cacheDirFromEnv({ XDG_CACHE_HOME: "", HOME: "/home/u" })).toBe("/home/u/.cache/glacier-cli");
  });

  it("says what to set when neither HOME nor any override exists", () => {
    expect(() => cacheDirFromEnv({})).toThrow(CacheError);
    expect(() => cacheDirFromEnv({})).toThrow(
      "cannot locate the archive cache: set HOME, XDG_CACHE_HOME or GLACIER_CACHE_DIR, or pass --cache-dir",
    );
  });
});
