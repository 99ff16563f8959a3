// The retrieval jobs of one vault as one remote process sees them. Listing jobs pages through every
// job of the vault (50 a page), and a chunked file retrieves hundreds of archives in one process
// (testremote's 1 KiB chunks of a 1 MiB key: a thousand), so the list is read at most once a
// minute; jobs this process started or used are followed by DescribeJob, and a listed job still in
// progress is refreshed before it is judged.
import { ServiceError } from "../core/errors.ts";
import type { Clock } from "../core/clock.ts";
import type { JobDescription } from "../core/types.ts";
import type { GlacierPort } from "../glacier/port.ts";

const LIST_MAX_AGE_MS = 60_000;

export class JobBook {
  readonly #port: GlacierPort;
  readonly #vault: string;
  readonly #clock: Clock;
  /** The listed jobs by archive ID (a chunked key asks for each of its thousand archives in turn). */
  #snapshot: { byArchive: Map<string, JobDescription[]>; at: number } | undefined;
  readonly #followed = new Map<string, JobDescription>();

  constructor(port: GlacierPort, vault: string, clock: Clock) {
    this.#port = port;
    this.#vault = vault;
    this.#clock = clock;
  }

  /** The current state of every job known for this archive (for core/job-choice.ts chooseJob). */
  async forArchive(archiveId: string): Promise<JobDescription[]> {
    const followed = this.#followed.get(archiveId);
    if (followed) {
      try {
        return [await this.#port.describeJob(this.#vault, followed.jobId)];
      } catch (error) {
        // Gone (expired output is reclaimed): look at the list instead.
        if (!(error instanceof ServiceError && error.code === "ResourceNotFoundException")) throw error;
        this.#followed.delete(archiveId);
      }
    }
    const listed = (await this.#list()).get(archiveId) ?? [];
    return Promise.all(
      listed.map((job) => (job.completed ? Promise.resolve(job) : this.#port.describeJob(this.#vault, job.jobId))),
    );
  }

  /** A job this process started or is about to use: followed by DescribeJob from now on. */
  follow(job: JobDescription): void {
    if (job.archiveId === undefined) return;
    this.#followed.set(job.archiveId, job);
    if (this.#snapshot) addTo(this.#snapshot.byArchive, job);
  }

  async #list(): Promise<Map<string, JobDescription[]>> {
    const now = this.#clock.now();
    if (!this.#snapshot || now - this.#snapshot.at > LIST_MAX_AGE_MS) {
      const byArchive = new Map<string, JobDescription[]>();
      for (const job of await this.#port.listJobs(this.#vault)) addTo(byArchive, job);
      this.#snapshot = { byArchive, at: now };
    }
    return this.#snapshot.byArchive;
  }
}

function addTo(byArchive: Map<string, JobDescription[]>, job: JobDescription): void {
  if (job.archiveId === undefined) return;
  const list = byArchive.get(job.archiveId);
  if (list) list.push(job);
  else byArchive.set(job.archiveId, [job]);
}
