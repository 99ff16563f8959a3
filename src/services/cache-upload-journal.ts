// The upload engine's journal (glacier/upload-journal.ts) kept durably in the archive cache: the
// intent is on disk before the first part is sent, each stored part is recorded, and the archive
// row is written in the same journal record that closes the intent, so an upload is never
// complete in Glacier yet missing from the cache after a crash between the two.
import type { ArchiveCache } from "../cache/archive-cache.ts";
import { ownerState } from "../cache/owner.ts";
import type { UploadedPart } from "../glacier/port.ts";
import {
  isSingleUploadId,
  type UploadIntent,
  type UploadJournal,
  type UploadKey,
  type UploadOutcome,
} from "../glacier/upload-journal.ts";

export class CacheUploadJournal implements UploadJournal {
  readonly #cache: ArchiveCache;
  readonly #name: string | null;
  readonly #sizes = new Map<string, { vault: string; size: number }>();

  readonly #anyPath: boolean;

  /**
   * `name` is the archive's name as the cache records it (the description decoded). With `anyPath`,
   * an interrupted upload of the same name and size is resumed from another path too: a git-annex
   * key names its content, and clones keep the object under different paths.
   */
  constructor(cache: ArchiveCache, name: string | null, options: { anyPath?: boolean } = {}) {
    this.#cache = cache;
    this.#name = name;
    this.#anyPath = options.anyPath ?? false;
  }

  // Size, path and name identify the file; the engine checks every recorded part's tree hash
  // against the file's bytes before reusing it, so a file rewritten in place is never mixed in.
  // An upload another live process is running is never adopted: two processes sending parts to one
  // upload id end with "size does not match the uploaded parts" or "upload ID not found".
  async existing(key: UploadKey): Promise<UploadIntent | undefined> {
    const intents = await this.#cache.uploadIntents(key.vault);
    const found = intents.find(
      (i) =>
        !isSingleUploadId(i.uploadId) &&
        (this.#anyPath || i.localPath === key.path) &&
        i.size === key.size &&
        i.name === this.#name &&
        (i.owner === null || ownerState(i.owner) === "gone"),
    );
    if (!found) return undefined;
    this.#sizes.set(found.uploadId, { vault: key.vault, size: key.size });
    return { ...key, uploadId: found.uploadId, partSize: found.partSize };
  }

  async intent(intent: UploadIntent): Promise<void> {
    this.#sizes.set(intent.uploadId, { vault: intent.vault, size: intent.size });
    await this.#cache.recordUploadIntent({
      vault: intent.vault,
      uploadId: intent.uploadId,
      name: this.#name,
      localPath: intent.path.startsWith("/") ? intent.path : null,
      size: intent.size >= 0 ? intent.size : null,
      partSize: intent.partSize,
      treeHash: intent.treeHash ?? null,
    });
  }

  async partDone(uploadId: string, part: UploadedPart): Promise<void> {
    if (!this.#sizes.has(uploadId)) return;
    await this.#cache.recordPart(uploadId, {
      start: part.start,
      length: part.end - part.start + 1,
      treeHash: part.treeHash,
    });
  }

  async finished(uploadId: string, outcome: UploadOutcome): Promise<void> {
    const known = this.#sizes.get(uploadId);
    if (!known) return;
    this.#sizes.delete(uploadId);
    if ("abandoned" in outcome) {
      await this.#cache.finishUploadIntent(known.vault, uploadId);
      return;
    }
    await this.#cache.finishUploadIntent(known.vault, uploadId, {
      id: outcome.archiveId,
      name: this.#name,
      treeHash: outcome.treeHash,
      size: known.size,
    });
    this.recorded.add(outcome.archiveId);
  }

  /** Archives this journal recorded in the cache (uploads of files). */
  readonly recorded = new Set<string>();
}
