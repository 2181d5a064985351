/**
 * Bounded retries with exponential backoff for GitHub requests, honouring rate limits
 * (`retry-after`, `x-ratelimit-remaining: 0` + `x-ratelimit-reset`). All waiting goes through
 * an injected {@link Clock}.
 *
 * @module
 */

import type { Clock } from "./clock.ts";
import { classifyFailure } from "./failure.ts";
import { redact } from "./redact.ts";
import type { ErrorContext } from "./release_error.ts";
import { rateLimitError, releaseError } from "./release_error.ts";
import type { ReleaseEventListener } from "./types.ts";

/** How hard to try. */
export interface RetryPolicy {
  /** Attempts in total, at least 1. */
  attempts: number;
  /** First backoff after a transient failure; doubles each time. */
  baseDelayMs: number;
  /** Longest backoff after a transient failure. */
  maxDelayMs: number;
  /** Longest wait for a rate limit; a later reset fails at once with the reset time. */
  maxRateLimitWaitMs: number;
}

/** Four attempts, 1 s / 2 s / 4 s backoff, rate-limit waits up to 5 minutes. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRateLimitWaitMs: 300_000,
});

/** Options for {@link withRetry}. */
export interface RetryOptions {
  /** Overrides for {@link DEFAULT_RETRY_POLICY}. */
  policy?: Partial<RetryPolicy> | undefined;
  /** Where to wait. */
  clock: Clock;
  /** What is being done, for errors and events. */
  context: ErrorContext;
  /** Gets a `retry` event before each wait. */
  onEvent?: ReleaseEventListener | undefined;
  /** Stops waiting and retrying. */
  signal?: AbortSignal | undefined;
}

/**
 * Runs `operation` until it succeeds, a final failure happens, or the attempts run out; every
 * error that escapes is a redacted {@link NodeflashError}.
 *
 * @param operation one attempt (gets the attempt number, from 1)
 * @param options policy, clock, context and listener
 * @returns what the operation returned
 *
 * @example
 * ```ts
 * import { ManualClock } from "./clock.ts";
 * import { withRetry } from "./retry.ts";
 * const clock = new ManualClock();
 * const value = await withRetry(async (attempt) => {
 *   if (attempt < 3) throw Object.assign(new Error("Bad Gateway"), { status: 502 });
 *   return "ok";
 * }, { clock, context: { host: "h", action: "testing", subject: "x", secrets: [] } });
 * if (value !== "ok" || clock.sleeps.join() !== "1000,2000") throw new Error();
 * ```
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const attempts = Math.max(1, Math.floor(policy.attempts));
  const { clock, context } = options;
  for (let attempt = 1;; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const failure = classifyFailure(error, clock.now());
      if (failure.kind === "fatal") throw releaseError(error, context, { attempts: 1, failure });
      let delayMs: number;
      if (failure.kind === "rate-limit") {
        if (failure.waitMs > policy.maxRateLimitWaitMs || attempt >= attempts) {
          throw rateLimitError(failure, context, clock.now());
        }
        delayMs = failure.waitMs;
      } else {
        if (attempt >= attempts) throw releaseError(error, context, { attempts, failure });
        delayMs = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
      }
      options.onEvent?.({
        type: "retry",
        attempt,
        attempts,
        delayMs,
        reason: redact(failure.reason, context.secrets),
      });
      await clock.sleep(delayMs, options.signal);
    }
  }
}
