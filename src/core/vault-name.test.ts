import { describe, expect, it } from "vitest";
import { UsageError } from "./errors.ts";
import { assertVaultName, vaultNameProblem } from "./vault-name.ts";

describe("vault names", () => {
  it("accepts letters, digits, underscore, hyphen and period", () => {
    expect(vaultNameProblem("My_vault-2.backup")).toBeUndefined();
    expect(vaultNameProblem("x".repeat(255))).toBeUndefined();
  });

  it("rejects a name with other characters in one line", () => {
    expect(vaultNameProblem("testz:z")).toBe(
      "invalid vault name 'testz:z': it contains other characters; a vault name has 1 to 255 characters of " +
        "a-z, A-Z, 0-9, '_', '-' and '.'",
    );
  });

  it("rejects an empty name and a name longer than 255 characters", () => {
    expect(vaultNameProblem("")).toMatch(/^invalid vault name '': it is empty;/);
    expect(vaultNameProblem("v".repeat(256))).toMatch(/: it has 256 characters;/);
  });

  it("rejects spaces and non-ASCII letters", () => {
    expect(vaultNameProblem("my vault")).toMatch(/contains other characters/);
    expect(vaultNameProblem("café")).toMatch(/contains other characters/);
  });

  it("throws a console error for an invalid name and nothing for a valid one", () => {
    expect(() => {
      assertVaultName("a/b");
    }).toThrow(UsageError);
    expect(() => {
      assertVaultName("ok");
    }).not.toThrow();
  });
});
