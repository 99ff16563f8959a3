import { describe, expect, it } from "vitest";
import { nextPollDelay, waitSchedule, waitTimeoutMessage } from "./wait-schedule.ts";

const MIN = 60_000;
const H = 60 * MIN;

function plan(schedule: ReturnType<typeof waitSchedule>): number[] {
  const delays: number[] = [];
  let elapsed = 0;
  for (let attempt = 0; ; attempt++) {
    const delay = nextPollDelay(schedule, attempt, elapsed);
    if (delay === undefined) return delays;
    delays.push(delay);
    elapsed += delay;
  }
}

describe("wait schedule", () => {
  it("polls a Standard job after 1, 2, 4 and 8 minutes, then every 10 minutes", () => {
    expect(plan(waitSchedule("Standard")).slice(0, 6)).toEqual([MIN, 2 * MIN, 4 * MIN, 8 * MIN, 10 * MIN, 10 * MIN]);
  });

  it("stops after exactly 24 hours for Standard jobs, like glacier-cli's 144 sleeps of 600 s", () => {
    const delays = plan(waitSchedule());
    expect(delays.reduce((a, b) => a + b, 0)).toBe(24 * H);
    expect(delays.length).toBeLessThan(150);
  });

  it("polls Expedited jobs every minute at most and gives up after an hour", () => {
    const delays = plan(waitSchedule("Expedited"));
    expect(delays.slice(0, 4)).toEqual([15_000, 30_000, MIN, MIN]);
    expect(delays.reduce((a, b) => a + b, 0)).toBe(H);
  });

  it("allows Bulk jobs two days", () => {
    expect(plan(waitSchedule("Bulk")).reduce((a, b) => a + b, 0)).toBe(48 * H);
  });

  it("says how long it waited and that the job still runs", () => {
    expect(waitTimeoutMessage({ kind: "archive", archiveId: "A", label: "k" }, waitSchedule())).toBe(
      "timed out after 24 hours waiting for the retrieval job for archive 'k'; it is still in progress, run " +
        "the command again later",
    );
    expect(waitTimeoutMessage({ kind: "inventory", vault: "v" }, waitSchedule("Expedited"))).toBe(
      "timed out after 1 hour waiting for the inventory job for 'v'; it is still in progress, run the " +
        "command again later",
    );
  });
});
