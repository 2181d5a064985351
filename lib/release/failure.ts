/**
 * Sorts what went wrong in a GitHub request into three bins: worth retrying soon (5xx,
 * connection reset, truncated body), a rate limit (wait as GitHub says, then retry), or final
 * (404, bad credentials, digest mismatch...).
 *
 * @module
 */

import { isNodeflashError } from "../errors.ts";

/** Error codes of this layer that a fresh attempt may cure. */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  "release/truncated",
  "release/size-mismatch",
  "release/connection-lost",
]);

/** The verdict on one failed attempt. */
export type Failure =
  | { kind: "transient"; reason: string; status: number | undefined }
  | {
    kind: "rate-limit";
    reason: string;
    /** How long GitHub asked to wait (`retry-after`, or until `x-ratelimit-reset`). */
    waitMs: number;
    /** When the primary limit resets (ms since the epoch), if GitHub said. */
    resetAt: number | undefined;
    /** `x-ratelimit-limit`, if GitHub said. */
    limit: number | undefined;
  }
  | { kind: "fatal"; reason: string; status: number | undefined };

/** Wait when GitHub signals a rate limit but not for how long ("at least one minute"). */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/** The parts of an HTTP error (Octokit's `RequestError` or similar) we look at. */
interface HttpErrorLike {
  status: number;
  message?: unknown;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

function isHttpError(error: unknown): error is HttpErrorLike {
  return typeof error === "object" && error !== null &&
    typeof (error as { status?: unknown }).status === "number";
}

/**
 * Status code of an HTTP error, if it is one.
 *
 * @param error anything thrown
 * @returns the status, or `undefined`
 *
 * @example
 * ```ts
 * import { httpStatusOf } from "./failure.ts";
 * if (httpStatusOf({ status: 404 }) !== 404 || httpStatusOf(new Error()) !== undefined) {
 *   throw new Error();
 * }
 * ```
 */
export function httpStatusOf(error: unknown): number | undefined {
  return isHttpError(error) ? error.status : undefined;
}

/**
 * The message the server put in its JSON error body, else the error's own message.
 *
 * @param error anything thrown
 * @returns a one-line reason (not yet redacted)
 *
 * @example
 * ```ts
 * import { serverMessageOf } from "./failure.ts";
 * const e = { status: 404, response: { data: { message: "Not Found" } } };
 * if (serverMessageOf(e) !== "Not Found") throw new Error();
 * ```
 */
export function serverMessageOf(error: unknown): string {
  if (isHttpError(error)) {
    const data = error.response?.data;
    if (typeof data === "object" && data !== null) {
      const message = (data as { message?: unknown }).message;
      if (typeof message === "string") return message;
    }
  }
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? error.cause.message : "";
    return cause !== "" && !error.message.includes(cause)
      ? `${error.message}: ${cause}`
      : error.message;
  }
  if (isHttpError(error) && typeof error.message === "string") return error.message;
  return String(error);
}

function header(error: HttpErrorLike, name: string): string | undefined {
  const value = error.response?.headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

/** `retry-after` is seconds or an HTTP date. */
function retryAfterMs(value: string, now: number): number | undefined {
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function rateLimitOf(error: HttpErrorLike, now: number): Failure | undefined {
  if (error.status !== 403 && error.status !== 429) return undefined;
  const reason = serverMessageOf(error);
  const retryAfter = header(error, "retry-after");
  const remaining = header(error, "x-ratelimit-remaining");
  const reset = header(error, "x-ratelimit-reset");
  const limitText = header(error, "x-ratelimit-limit");
  const limit = limitText !== undefined && /^\d+$/.test(limitText) ? Number(limitText) : undefined;
  const resetAt = reset !== undefined && /^\d+$/.test(reset) ? Number(reset) * 1000 : undefined;
  if (retryAfter !== undefined) {
    const waitMs = retryAfterMs(retryAfter, now) ?? DEFAULT_RATE_LIMIT_WAIT_MS;
    return { kind: "rate-limit", reason, waitMs, resetAt: undefined, limit };
  }
  if (remaining === "0" && resetAt !== undefined) {
    // one extra second: GitHub's reset is a whole second and clocks differ a little
    return {
      kind: "rate-limit",
      reason,
      waitMs: Math.max(0, resetAt - now) + 1_000,
      resetAt,
      limit,
    };
  }
  if (error.status === 429 || /rate limit/i.test(reason)) {
    return { kind: "rate-limit", reason, waitMs: DEFAULT_RATE_LIMIT_WAIT_MS, resetAt, limit };
  }
  return undefined;
}

/**
 * Classifies one failed attempt.
 *
 * @param error what the attempt threw
 * @param now the current time, ms since the epoch (to turn `x-ratelimit-reset` into a wait)
 * @returns the verdict
 *
 * @example
 * ```ts
 * import { classifyFailure } from "./failure.ts";
 * const limited = { status: 403, response: { headers: { "retry-after": "30" }, data: {} } };
 * const f = classifyFailure(limited, 0);
 * if (f.kind !== "rate-limit" || f.waitMs !== 30_000) throw new Error();
 * if (classifyFailure({ status: 502 }, 0).kind !== "transient") throw new Error();
 * if (classifyFailure({ status: 404 }, 0).kind !== "fatal") throw new Error();
 * ```
 */
export function classifyFailure(error: unknown, now: number): Failure {
  if (isNodeflashError(error)) {
    const kind = TRANSIENT_CODES.has(error.code) ? "transient" : "fatal";
    return { kind, reason: error.message, status: undefined };
  }
  if (error instanceof Error && error.name === "AbortError") {
    return { kind: "fatal", reason: error.message, status: undefined };
  }
  if (isHttpError(error)) {
    const limited = rateLimitOf(error, now);
    if (limited !== undefined) return limited;
    const status = error.status;
    const transient = status >= 500 || status === 408;
    return { kind: transient ? "transient" : "fatal", reason: serverMessageOf(error), status };
  }
  if (error instanceof TypeError) {
    // fetch rejects with a TypeError when the connection fails or is reset
    return { kind: "transient", reason: serverMessageOf(error), status: undefined };
  }
  return { kind: "fatal", reason: serverMessageOf(error), status: undefined };
}
