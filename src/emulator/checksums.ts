// Upload checksum checks (docs/glacier-api.md#errors, docs/glacier-api.md#requests):
// "UploadArchive/UploadMultipartPart -> 400 InvalidParameterValueException 'Checksum mismatch: expected <sent>,
// computed <ours>'".
import { invalid, missing } from "./api-error.ts";
import type { Received } from "./blob.ts";
import type { EmuRequest } from "./http.ts";

export interface DeclaredHashes {
  treeHash: string;
  contentSha256: string;
}

/** Both hash headers are required on the two upload operations; checked before the body is read. */
export function declaredHashes(req: EmuRequest): DeclaredHashes {
  const treeHash = req.headers["x-amz-sha256-tree-hash"];
  const contentSha256 = req.headers["x-amz-content-sha256"];
  if (!treeHash) throw missing("Required header x-amz-sha256-tree-hash is missing");
  if (!contentSha256) throw missing("Required header x-amz-content-sha256 is missing");
  return { treeHash: treeHash.trim().toLowerCase(), contentSha256: contentSha256.trim().toLowerCase() };
}

export function checkReceived(declared: DeclaredHashes, received: Received): void {
  if (declared.treeHash !== received.treeHash) {
    throw invalid(`Checksum mismatch: expected ${declared.treeHash}, computed ${received.treeHash}`);
  }
  // UNSIGNED-PAYLOAD is not something Glacier clients send; any other value must be the body's hash.
  if (declared.contentSha256 !== received.sha256) {
    throw invalid(`Content SHA-256 mismatch: expected ${declared.contentSha256}, computed ${received.sha256}`);
  }
}

/** Content-Length when the client sent one (chunked bodies are accepted too: be lenient). */
export function declaredLength(req: EmuRequest): number | undefined {
  const raw = req.headers["content-length"];
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw invalid(`Invalid Content-Length: ${raw}`);
  return Number(raw);
}
