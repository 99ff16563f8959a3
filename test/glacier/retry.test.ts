import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.ts";
import { ConsoleError, ServiceError } from "../../src/core/errors.ts";
import { backoffDelay, isSafeToRepeat, isTransient, withRetry, type RetryPolicy } from "../../src/glacier/retry.ts";

const policy: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

/** Runs withRetry on a ManualClock, advancing it whenever the retry loop sleeps. */
async function runWithClock<T>(attempt: (n: number) => Promise<T>, random = () => 0.999) {
  const clock = new ManualClock(0);
  const sleeps: number[] = [];
  const settled = withRetry(attempt, { policy, clock, random, onRetry: (_e, _n, delay) => sleeps.push(delay) }).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setImmediate(r));
    clock.advance(1_000);
  }
  return { result: await settled, sleeps };
}

describe("retry", () => {
  it("classifies throttling, 5xx, 408 and socket errors as transient, and not access denied", () => {
    expect(
      ["ThrottlingException", "HTTP 502", "HTTP 408", "ECONNRESET", "RequestTimeoutException"].every((code) =>
        isTransient(new ServiceError("x", code)),
      ),
    ).toBe(true);
    expect(isTransient(new ServiceError("x", "AccessDeniedException"))).toBe(false);
    expect(isTransient(new ConsoleError("x"))).toBe(false);
  });

  it("treats a reset as unsafe to repeat for a request that may have taken effect", () => {
    expect(isSafeToRepeat(new ServiceError("x", "ThrottlingException"))).toBe(true);
    expect(isSafeToRepeat(new ServiceError("x", "ECONNRESET"))).toBe(false);
  });

  it("grows the delay exponentially up to the cap, with full jitter", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 0.999))).toEqual([99, 199, 249, 249]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it("retries a transient failure and returns the later success", async () => {
    let calls = 0;
    const { result, sleeps } = await runWithClock(() =>
      Promise.resolve().then(() => {
        if (++calls < 3) throw new ServiceError("slow down", "ThrottlingException");
        return "ok";
      }),
    );
    expect(result).toEqual({ value: "ok" });
    expect(calls).toBe(3);
    expect(sleeps).toEqual([99, 199]);
  });

  it("gives up after the policy's attempts and says so in the message", async () => {
    let calls = 0;
    const { result } = await runWithClock(() =>
      Promise.resolve().then(() => {
        calls++;
        throw new ServiceError("Glacier is throttling requests (UploadMultipartPart)", "ThrottlingException");
      }),
    );
    expect(calls).toBe(4);
    const error = (result as { error: ServiceError }).error;
    expect(error.message).toBe("Glacier is throttling requests (UploadMultipartPart) (gave up after 4 attempts)");
    expect(error.code).toBe("ThrottlingException");
  });

  it("does not retry a failure that is not transient", async () => {
    let calls = 0;
    const { result, sleeps } = await runWithClock(() =>
      Promise.resolve().then(() => {
        calls++;
        throw new ServiceError("access denied", "AccessDeniedException");
      }),
    );
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
    expect((result as { error: Error }).error.message).toBe("access denied");
  });
});
