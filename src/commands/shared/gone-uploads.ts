// `vault sync` also forgets multipart uploads that can never finish: an open upload record whose
// process is gone (killed) and whose upload Glacier no longer lists (aborted, completed, or
// reclaimed after 24 hours idle). Without this, a key killed mid-upload stays "in progress" for
// the git-annex remote; an upload Glacier still lists is kept, since the next upload resumes it.
import type { ArchiveCache } from "../../cache/archive-cache.ts";
import { ownerState } from "../../cache/owner.ts";
import { pyRepr } from "../../core/py-repr.ts";
import type { BackendPort } from "../../glacier/port.ts";
import { isSingleUploadId } from "../../glacier/upload-journal.ts";
import type { Deps } from "../deps.ts";

export async function forgetGoneUploads(
  deps: Deps,
  glacier: BackendPort,
  cache: ArchiveCache,
  vault: string,
): Promise<void> {
  const candidates = (await cache.uploadIntents(vault)).filter(
    (intent) => !isSingleUploadId(intent.uploadId) && (intent.owner === null || ownerState(intent.owner) === "gone"),
  );
  if (candidates.length === 0) return;
  // Compared through the port: a listed id may be spelled otherwise than the one recorded (S3's).
  const listed = (await glacier.listMultipartUploads(vault)).map((upload) => upload.uploadId);
  const gone = candidates.filter((intent) => !listed.some((id) => glacier.sameUpload(vault, id, intent.uploadId)));
  if (gone.length === 0) return;
  await cache.applySync(
    vault,
    gone.map((intent) => ({ kind: "close-intent", uploadId: intent.uploadId })),
  );
  for (const intent of gone) {
    const started = new Date(intent.startedAt).toISOString();
    deps.output.info(
      `forgot the upload of ${pyRepr(intent.name ?? "None")} started ${started}: its process is gone and ` +
        `Glacier no longer has the upload`,
    );
  }
}
