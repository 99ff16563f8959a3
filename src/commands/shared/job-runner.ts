// Carries out a job choice (core/job-choice.ts) against Glacier: use a finished job, start one, or wait for one with
// --wait (docs/compatibility.md#jobs, docs/compatibility.md#wait-loop with its bugs fixed). Returns the job to use or
// the pending message that the command turns into exit 75.
import { checkWaitedJobs, chooseJob, type JobTarget } from "../../core/job-choice.ts";
import { nextPollDelay, waitSchedule, waitTimeoutMessage } from "../../core/wait-schedule.ts";
import type { JobDescription, Tier } from "../../core/types.ts";
import type { GlacierPort } from "../../glacier/port.ts";
import type { Deps } from "../deps.ts";
import { defined } from "../../core/errors.ts";

/** Not ready: `jobs` are the jobs waited for (a restore's expectedCompletionDate gives the time to say). */
export type JobOutcome =
  { ready: true; job: JobDescription } | { ready: false; message: string; jobs?: readonly JobDescription[] };

export interface JobRunOptions {
  wait: boolean;
  tier?: Tier;
  /** Inventory jobs: reuse jobs completed within this many hours. */
  maxAgeHours?: number;
  /** Jobs already listed for this vault (one ListJobs for several archives). */
  jobs?: readonly JobDescription[];
}

export async function obtainJob(
  deps: Deps,
  glacier: GlacierPort,
  vault: string,
  target: JobTarget,
  options: JobRunOptions,
): Promise<JobOutcome> {
  const jobs = options.jobs ?? (await glacier.listJobs(vault));
  const choice = chooseJob(jobs, target, {
    now: deps.clock.now(),
    maxAgeHours: options.maxAgeHours ?? 0,
    wait: options.wait,
  });
  switch (choice.action) {
    case "use":
      return { ready: true, job: choice.job };
    case "pending":
      return { ready: false, message: choice.message, jobs: choice.jobs };
    case "wait":
      return waitFor(deps, glacier, vault, target, choice.jobs, options);
    case "initiate": {
      if (choice.notice) deps.output.info(choice.notice);
      const started = await initiate(glacier, vault, target, options.tier);
      // A job may be complete as it starts (local:DIR; an S3 listing, an object that reads at once):
      // backends that say so go on with it (docs/backends.md#capabilities). Glacier's own jobs are
      // reported queued even when done, as glacier-cli did.
      if (glacier.capabilities?.(vault).immediateJobs ?? glacier.immediateJobs) {
        const check = checkWaitedJobs([started], target);
        if (check.action === "use") return { ready: true, job: check.job };
      }
      if (choice.then === "report") return { ready: false, message: choice.queuedMessage, jobs: [started] };
      return waitFor(deps, glacier, vault, target, [started], options);
    }
  }
}

async function initiate(
  glacier: GlacierPort,
  vault: string,
  target: JobTarget,
  tier: Tier | undefined,
): Promise<JobDescription> {
  const { jobId } =
    target.kind === "archive"
      ? await glacier.initiateJob(vault, { type: "archive", archiveId: target.archiveId, ...(tier ? { tier } : {}) })
      : await glacier.initiateJob(vault, { type: "inventory", format: "JSON" });
  return glacier.describeJob(vault, jobId);
}

// docs/compatibility.md#wait-loop: "Before the first check, every job in the candidate list is refreshed with
// DescribeJob. If one of them is complete, it is used immediately." Then sleep, refresh, check.
async function waitFor(
  deps: Deps,
  glacier: GlacierPort,
  vault: string,
  target: JobTarget,
  initial: readonly JobDescription[],
  options: JobRunOptions,
): Promise<JobOutcome> {
  const schedule = waitSchedule(target.kind === "archive" ? options.tier : undefined);
  const cap = pollCapMs(deps.env);
  const started = deps.clock.now();
  let jobs = [...initial];
  for (let attempt = 0; ; attempt++) {
    jobs = await Promise.all(jobs.map((job) => glacier.describeJob(vault, job.jobId)));
    const check = checkWaitedJobs(jobs, target);
    if (check.action === "use") return { ready: true, job: check.job };
    if (check.action === "replace") {
      deps.output.info(check.notice);
      jobs = [await initiate(glacier, vault, target, options.tier)];
    }
    const delay = nextPollDelay(schedule, attempt, deps.clock.now() - started);
    if (delay === undefined) return { ready: false, message: waitTimeoutMessage(target, schedule) };
    if (deps.output.interactive)
      deps.output.status(
        `\rglacier: waiting for job ${defined(jobs[0], "jobs[0]").jobId.slice(0, 12)}... (` +
          `${Math.round((deps.clock.now() - started) / 1000)} s)`,
      );
    await deps.clock.sleep(cap === undefined ? delay : Math.min(delay, cap));
  }
}

/**
 * GLACIER_POLL_SECONDS caps the sleep between checks. Meant for the emulator, whose jobs can be
 * made to finish in seconds; against AWS the built-in schedule (1 to 10 minutes) is right.
 */
function pollCapMs(env: Deps["env"]): number | undefined {
  const value = Number(env.GLACIER_POLL_SECONDS);
  return env.GLACIER_POLL_SECONDS !== undefined && Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}
