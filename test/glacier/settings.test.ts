import { describe, expect, it } from "vitest";
import { ConsoleError } from "../../src/core/errors.ts";
import { profileSetting, resolveSettings, sharedConfigPath } from "../../src/glacier/settings.ts";

const config = [
  "[default]",
  "region = eu-west-1",
  "",
  "[profile backup]",
  "region=ap-southeast-2 # Sydney",
  "output = json",
].join("\n");

describe("region resolution", () => {
  it("prefers --region over the environment and the profile", () => {
    const settings = resolveSettings({
      global: { region: "us-west-2" },
      env: { AWS_REGION: "eu-central-1" },
      cwd: "/",
      sharedConfig: config,
    });
    expect(settings.region).toBe("us-west-2");
  });

  it("takes AWS_REGION, then AWS_DEFAULT_REGION, before the profile", () => {
    expect(
      resolveSettings({
        global: {},
        env: { AWS_REGION: "eu-central-1", AWS_DEFAULT_REGION: "sa-east-1" },
        cwd: "/",
        sharedConfig: config,
      }).region,
    ).toBe("eu-central-1");
    expect(
      resolveSettings({ global: {}, env: { AWS_DEFAULT_REGION: "sa-east-1" }, cwd: "/", sharedConfig: config }).region,
    ).toBe("sa-east-1");
  });

  it("reads the region of the default profile, or of --profile / AWS_PROFILE", () => {
    expect(resolveSettings({ global: {}, env: {}, cwd: "/", sharedConfig: config }).region).toBe("eu-west-1");
    expect(resolveSettings({ global: { profile: "backup" }, env: {}, cwd: "/", sharedConfig: config }).region).toBe(
      "ap-southeast-2",
    );
    expect(resolveSettings({ global: {}, env: { AWS_PROFILE: "backup" }, cwd: "/", sharedConfig: config }).region).toBe(
      "ap-southeast-2",
    );
  });

  it("falls back to us-east-1, glacier-cli's default", () => {
    expect(resolveSettings({ global: {}, env: {}, cwd: "/" }).region).toBe("us-east-1");
    expect(resolveSettings({ global: { profile: "nope" }, env: {}, cwd: "/", sharedConfig: config }).region).toBe(
      "us-east-1",
    );
  });

  it("finds the shared config file through AWS_CONFIG_FILE or HOME", () => {
    expect(sharedConfigPath({ AWS_CONFIG_FILE: "/etc/aws.ini", HOME: "/home/u" })).toBe("/etc/aws.ini");
    expect(sharedConfigPath({ HOME: "/home/u" })).toBe("/home/u/.aws/config");
  });

  it("reads INI settings only from the named section", () => {
    expect(profileSetting(config, "backup", "output")).toBe("json");
    expect(profileSetting(config, "default", "output")).toBeUndefined();
  });
});

describe("endpoint resolution", () => {
  it("uses AWS when nothing is configured", () => {
    expect(resolveSettings({ global: {}, env: {}, cwd: "/" }).endpoint).toEqual({ kind: "aws" });
  });

  it("prefers --endpoint-url, then AWS_ENDPOINT_URL_GLACIER, then AWS_ENDPOINT_URL", () => {
    const env = { AWS_ENDPOINT_URL_GLACIER: "http://127.0.0.1:2", AWS_ENDPOINT_URL: "http://127.0.0.1:3" };
    expect(resolveSettings({ global: { endpointUrl: "http://127.0.0.1:1/" }, env, cwd: "/" }).endpoint).toEqual({
      kind: "url",
      url: "http://127.0.0.1:1",
    });
    expect(resolveSettings({ global: {}, env, cwd: "/" }).endpoint).toEqual({ kind: "url", url: "http://127.0.0.1:2" });
    expect(
      resolveSettings({ global: {}, env: { AWS_ENDPOINT_URL: "https://glacier.example" }, cwd: "/" }).endpoint,
    ).toEqual({ kind: "url", url: "https://glacier.example" });
  });

  it("turns local:DIR into an emulator folder, relative to the working directory", () => {
    expect(resolveSettings({ global: { endpointUrl: "local:data" }, env: {}, cwd: "/work" }).endpoint).toEqual({
      kind: "local",
      dir: "/work/data",
    });
    expect(
      resolveSettings({ global: {}, env: { AWS_ENDPOINT_URL: "local:/srv/vaults" }, cwd: "/work" }).endpoint,
    ).toEqual({ kind: "local", dir: "/srv/vaults" });
  });

  it("rejects an endpoint that is neither an http(s) URL nor local:DIR, naming where it came from", () => {
    expect(() => resolveSettings({ global: { endpointUrl: "ftp://x" }, env: {}, cwd: "/" })).toThrow(ConsoleError);
    expect(() => resolveSettings({ global: {}, env: { AWS_ENDPOINT_URL_GLACIER: "not a url" }, cwd: "/" })).toThrow(
      /^AWS_ENDPOINT_URL_GLACIER: invalid endpoint/,
    );
    expect(() => resolveSettings({ global: { endpointUrl: "local:" }, env: {}, cwd: "/" })).toThrow(/needs a folder/);
  });
});

describe("credentials", () => {
  it("uses keys from the environment it is given", () => {
    const settings = resolveSettings({
      global: {},
      env: { AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "t" },
      cwd: "/",
    });
    expect(settings.credentials).toEqual({ accessKeyId: "AKID", secretAccessKey: "s", sessionToken: "t" });
  });

  it("leaves credentials to the profile when --profile is given", () => {
    const settings = resolveSettings({
      global: { profile: "backup" },
      env: { AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "s" },
      cwd: "/",
    });
    expect(settings.credentials).toBeUndefined();
    expect(settings.profile).toBe("backup");
  });
});
