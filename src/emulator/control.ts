// The control API (issue 3 item 6): in-process methods and the same under /_emulator/ over HTTP,
// a prefix that cannot collide with /{accountId} (account IDs are 12 digits or "-").
import { GlacierApiError, invalid, notFound } from "./api-error.ts";
import type { EmulatorEnv } from "./env.ts";
import type { FaultInjector, FaultSpec } from "./faults.ts";
import { type EmuRequest, type EmuResponse, emptyResponse, errorResponse, jsonResponse } from "./http.ts";
import { snapshot } from "./inventory.ts";
import { describeJob, jobStatus } from "./model-jobs.ts";
import type { RequestLog, RequestLogEntry } from "./request-log.ts";
import type { EmulatorState } from "./state.ts";
import { isoMillis } from "./time.ts";

export interface EmulatorControl {
  /** Moves the emulator clock forward (persisted in DIR); resolves to the new emulator time (ms). */
  advanceClock(seconds: number): Promise<number>;
  /** The emulator's current time (ms). */
  now(): Promise<number>;
  /** Takes an inventory of one vault (or of every vault) now. */
  generateInventory(vault?: string): Promise<void>;
  setFaults(spec: FaultSpec[] | string): void;
  faults(): FaultSpec[];
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  dumpState(): Promise<EmulatorState>;
  /**
   * The SNS messages Glacier would have published for completed jobs: to the job's own SNSTopic
   * and to the vault's notification topic when its Events include the job's kind; message = the
   * DescribeJob JSON.
   */
  notifications(): Promise<{ topic: string; message: Record<string, unknown> }[]>;
}

export function createControl(env: EmulatorEnv, faults: FaultInjector, log: RequestLog): EmulatorControl {
  return {
    advanceClock: (seconds) => {
      if (!Number.isFinite(seconds) || seconds < 0) return Promise.reject(invalid(`Invalid clock advance: ${seconds} (seconds, >= 0)`));
      return env.transact((state, now) => {
        state.clockOffsetMs += Math.round(seconds * 1000);
        return now + Math.round(seconds * 1000);
      });
    },
    now: () => env.read((_, now) => now),
    generateInventory: (vault) => env.transact((state, now) => {
      if (vault !== undefined && !Object.hasOwn(state.vaults, vault)) throw notFound(`No such vault: ${vault}`);
      for (const v of Object.values(state.vaults)) if (vault === undefined || v.name === vault) snapshot(v, now);
    }),
    setFaults: (spec) => faults.set(spec),
    faults: () => faults.rules(),
    requestLog: () => log.entries(),
    clearRequestLog: () => log.clear(),
    dumpState: () => env.read((state) => structuredClone(state)),
    notifications: () => env.read((state, now) => Object.values(state.jobs)
      .filter((job) => jobStatus(job, now) !== "InProgress")
      .sort((a, b) => a.completesAt - b.completesAt)
      .flatMap((job) => {
        const config = state.vaults[job.vault]?.notifications;
        const event = job.action === "ArchiveRetrieval" ? "ArchiveRetrievalCompleted" : "InventoryRetrievalCompleted";
        const vaultTopic = config?.SNSTopic !== undefined && (config.Events ?? []).includes(event) ? config.SNSTopic : null;
        const topics = [...new Set([job.snsTopic, vaultTopic].filter((t): t is string => t !== null))];
        return topics.map((topic) => ({ topic, message: describeJob(env.config, job, now, env.omitNulls) }));
      })),
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
    try {
      const text = await readText(req.body);
      switch (route) {
        case "GET /_emulator/clock": {
          const now = await control.now();
          return jsonResponse(200, { now: isoMillis(now), nowMs: now });
        }
        case "POST /_emulator/clock": {
          const raw = query.get("advance") ?? (text.trim() === "" ? null : String((JSON.parse(text) as { advanceSeconds?: unknown }).advanceSeconds));
          const now = await control.advanceClock(Number(raw));
          return jsonResponse(200, { now: isoMillis(now), nowMs: now });
        }
        case "POST /_emulator/inventory":
          await control.generateInventory(query.get("vault") ?? undefined);
          return emptyResponse(204);
        case "GET /_emulator/faults":
          return jsonResponse(200, { faults: control.faults() });
        case "PUT /_emulator/faults":
        case "POST /_emulator/faults":
          control.setFaults(text.trim().startsWith("[") ? (JSON.parse(text) as FaultSpec[]) : text);
          return jsonResponse(200, { faults: control.faults() });
        case "GET /_emulator/requests":
          return jsonResponse(200, { requests: control.requestLog() });
        case "DELETE /_emulator/requests":
          control.clearRequestLog();
          return emptyResponse(204);
        case "GET /_emulator/notifications":
          return jsonResponse(200, { notifications: await control.notifications() });
        case "GET /_emulator/state":
          return jsonResponse(200, await control.dumpState());
        default:
          throw new GlacierApiError("UnknownOperationException", `No control operation ${route}`, 404);
      }
    } catch (error) {
      const apiError = error instanceof GlacierApiError ? error : invalid(error instanceof Error ? error.message : String(error));
      return errorResponse(apiError);
    }
  };
}
