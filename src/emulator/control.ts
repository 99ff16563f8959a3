// The control API: in-process methods and the same under /_emulator/ over HTTP,
// a prefix that cannot collide with /{accountId} (account IDs are 12 digits or "-").
import { GlacierApiError, invalid, notFound } from "./api-error.ts";
import type { EmulatorEnv } from "./env.ts";
import type { FaultInjector, FaultSpec } from "./faults.ts";
import { type EmuRequest, type EmuResponse, emptyResponse, errorResponse, jsonResponse } from "./http.ts";
import { snapshot } from "./inventory.ts";
import { describeJob, jobStatus } from "./model-jobs.ts";
import { allRegions, rootedAt } from "./regions.ts";
import type { RequestLog, RequestLogEntry } from "./request-log.ts";
import type { EmulatorState } from "./state.ts";
import { isoMillis } from "./time.ts";

/**
 * Regions (regions.ts): the clock and the fault rules are the emulator's, shared by every region.
 * Calls about records take an optional region: dumpState, requestLog and notifications cover every
 * region by default; generateInventory acts in every region by default (a vault name given is
 * taken in each region that has such a vault), so existing callers need not know about regions.
 */
export interface EmulatorControl {
  /** Moves the emulator clock forward (persisted in DIR); resolves to the new emulator time (ms). */
  advanceClock(seconds: number): Promise<number>;
  /** The emulator's current time (ms). */
  now(): Promise<number>;
  /**
   * Takes an inventory of one vault (or of every vault) now, in one region or in every region.
   * Refused (ResourceNotFoundException) when no vault of that name is in the region(s).
   */
  generateInventory(vault?: string, region?: string): Promise<void>;
  /** Jobs still in progress, every region's or one region's, soonest to complete first. */
  pendingJobs(region?: string): Promise<PendingJob[]>;
  setFaults(spec: FaultSpec[] | string): void;
  faults(): FaultSpec[];
  /** Every request logged, or those for one region (control calls have no region). */
  requestLog(region?: string): RequestLogEntry[];
  clearRequestLog(): void;
  /**
   * A copy of the whole state in the layout of state.json, every region included: the records of
   * `region` (default: the configured region) at the top level, as before regions existed, and
   * `region` naming them; every other region's records under `regions`.
   */
  dumpState(region?: string): Promise<EmulatorState>;
  /**
   * The SNS messages Glacier would have published for completed jobs: to the job's own SNSTopic
   * and to the vault's notification topic when its Events include the job's kind; message = the
   * DescribeJob JSON. Every region's, or one region's.
   */
  notifications(region?: string): Promise<{ topic: string; message: Record<string, unknown> }[]>;
}

export interface PendingJob {
  region: string;
  vault: string;
  id: string;
  action: "ArchiveRetrieval" | "InventoryRetrieval";
  completesAt: number;
}

export function createControl(env: EmulatorEnv, faults: FaultInjector, log: RequestLog): EmulatorControl {
  const configured = env.config.region;
  const regionsOf = (state: EmulatorState, region: string | undefined) =>
    allRegions(state, configured).filter(([name]) => region === undefined || name === region);
  return {
    advanceClock: (seconds) => {
      if (!Number.isFinite(seconds) || seconds < 0)
        return Promise.reject(invalid(`Invalid clock advance: ${seconds} (seconds, >= 0)`));
      return env.transactAll((state, now) => {
        state.clockOffsetMs += Math.round(seconds * 1000);
        return now + Math.round(seconds * 1000);
      });
    },
    now: () => env.readAll((_, now) => now),
    generateInventory: (vault, region) =>
      env.transactAll((state, now) => {
        let found = false;
        for (const [, records] of regionsOf(state, region)) {
          for (const v of Object.values(records.vaults)) {
            if (vault === undefined || v.name === vault) {
              snapshot(v, now);
              found = true;
            }
          }
        }
        if (vault !== undefined && !found)
          throw notFound(`No such vault: ${vault}${region === undefined ? "" : ` in ${region}`}`);
      }),
    pendingJobs: (region) =>
      env.readAll((state, now) =>
        regionsOf(state, region)
          .flatMap(([name, records]) =>
            Object.values(records.jobs)
              .filter((job) => jobStatus(job, now) === "InProgress")
              .map((job): PendingJob => ({
                region: name,
                vault: job.vault,
                id: job.id,
                action: job.action,
                completesAt: job.completesAt,
              })),
          )
          .sort((a, b) => a.completesAt - b.completesAt),
      ),
    setFaults: (spec) => {
      faults.set(spec);
    },
    faults: () => faults.rules(),
    requestLog: (region) => log.entries(region),
    clearRequestLog: () => {
      log.clear();
    },
    dumpState: (region) => env.readAll((state) => rootedAt(state, region ?? configured, configured)),
    notifications: (region) =>
      env.readAll((state, now) =>
        regionsOf(state, region)
          .flatMap(([name, records]) => {
            const config = env.inRegion(name).config;
            return Object.values(records.jobs)
              .filter((job) => jobStatus(job, now) !== "InProgress")
              .map((job) => {
                const vaultConfig = records.vaults[job.vault]?.notifications;
                const event =
                  job.action === "ArchiveRetrieval" ? "ArchiveRetrievalCompleted" : "InventoryRetrievalCompleted";
                const vaultTopic =
                  vaultConfig?.SNSTopic !== undefined && (vaultConfig.Events ?? []).includes(event)
                    ? vaultConfig.SNSTopic
                    : null;
                const topics = [...new Set([job.snsTopic, vaultTopic].filter((t): t is string => t !== null))];
                return {
                  job,
                  messages: topics.map((topic) => ({ topic, message: describeJob(config, job, now, env.omitNulls) })),
                };
              });
          })
          .sort((a, b) => a.job.completesAt - b.job.completesAt)
          .flatMap((m) => m.messages),
      ),
  };
}

async function readText(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const c of body) chunks.push(c);
  return Buffer.concat(chunks).toString("utf8");
}

/** HTTP form of the control API; the routes are documented in src/emulator/README.md. */
export function controlHandler(env: EmulatorEnv, control: EmulatorControl): (req: EmuRequest) => Promise<EmuResponse> {
  return async (req) => {
    const query = new URLSearchParams(req.rawQuery);
    const route = `${req.method} ${req.path.replace(/\/$/, "")}`;
    const region = query.get("region") ?? undefined;
    try {
      const text = await readText(req.body);
      switch (route) {
        case "GET /_emulator/clock": {
          const now = await control.now();
          return jsonResponse(200, { now: isoMillis(now), nowMs: now });
        }
        case "POST /_emulator/clock": {
          const raw =
            query.get("advance") ??
            (text.trim() === "" ? null : String((JSON.parse(text) as { advanceSeconds?: unknown }).advanceSeconds));
          const now = await control.advanceClock(Number(raw));
          return jsonResponse(200, { now: isoMillis(now), nowMs: now });
        }
        case "POST /_emulator/inventory":
          await control.generateInventory(query.get("vault") ?? undefined, region);
          return emptyResponse(204);
        case "GET /_emulator/faults":
          return jsonResponse(200, { faults: control.faults() });
        case "PUT /_emulator/faults":
        case "POST /_emulator/faults":
          control.setFaults(text.trim().startsWith("[") ? (JSON.parse(text) as FaultSpec[]) : text);
          return jsonResponse(200, { faults: control.faults() });
        case "GET /_emulator/requests":
          return jsonResponse(200, { requests: control.requestLog(region) });
        case "DELETE /_emulator/requests":
          control.clearRequestLog();
          return emptyResponse(204);
        case "GET /_emulator/notifications":
          return jsonResponse(200, { notifications: await control.notifications(region) });
        case "GET /_emulator/state":
          return jsonResponse(200, await control.dumpState(region));
        default:
          throw new GlacierApiError("UnknownOperationException", `No control operation ${route}`, 404);
      }
    } catch (error) {
      const apiError =
        error instanceof GlacierApiError ? error : invalid(error instanceof Error ? error.message : String(error));
      return errorResponse(apiError);
    }
  };
}
