// docs/glacier-api.md#data-formats: "Vault name: 1–255 chars of `a-z A-Z 0-9 _ - .`". Checked before any request:
// Glacier's own answer to a bad name is a confusing 404 ("Vault not found for ARN: testz:z").
import { UsageError } from "./errors.ts";
import { pyRepr } from "./py-repr.ts";
import { isS3Address, s3AddressProblem } from "./s3-address.ts";

const VAULT_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

/** Why a vault name is invalid (one line), or undefined when it is valid. */
export function vaultNameProblem(name: string): string | undefined {
  if (VAULT_NAME.test(name)) return undefined;
  // Another backend's address (docs/backends.md#addresses) stands wherever a vault name does.
  if (isS3Address(name)) return s3AddressProblem(name);
  const why =
    name.length === 0
      ? "it is empty"
      : name.length > 255
        ? `it has ${name.length} characters`
        : "it contains other characters";
  return (
    `invalid vault name ${pyRepr(name)}: ${why}; a vault name has 1 to 255 characters of a-z, A-Z, 0-9, '_', ` +
    `'-' and '.'`
  );
}

/** Throws a UsageError (exit 2, as for any invalid argument) for an invalid vault name. */
export function assertVaultName(name: string): void {
  const problem = vaultNameProblem(name);
  if (problem !== undefined) throw new UsageError(problem, { helpHint: false });
}
