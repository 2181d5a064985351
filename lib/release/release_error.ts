/**
 * Turns a failed GitHub request into a {@link NodeflashError} with a stable code, a message
 * that names what failed on which host, a hint, and a redacted cause: tokens never leave this
 * layer inside an error.
 *
 * @module
 */

import { deviceError, isNodeflashError, NodeflashError, userError } from "../errors.ts";
import type { Failure } from "./failure.ts";
import { httpStatusOf, serverMessageOf } from "./failure.ts";
import { redact, redactedError } from "./redact.ts";

/** What was being done when a request failed, for messages. */
export interface ErrorContext {
  /** API host, e.g. `api.github.com`. */
  host: string;
  /** What was being done, e.g. `looking up release 'v1' of owner/repo`. */
  action: string;
  /** The thing that may be missing, e.g. `Release 'v1' of owner/repo`. */
  subject: string;
  /** Values to redact (the token). */
  secrets: readonly string[];
}

/** Options for {@link releaseError}. */
export interface ReleaseErrorOptions {
  /** How many attempts were made (mentioned when more than one). */
  attempts?: number;
  /** The classification of the error, if already known. */
  failure?: Failure;
}

const TOKEN_HINT = "pass a token with 'contents: read' on the repository " +
  "(--token or GITHUB_TOKEN)";

/**
 * Copies a {@link NodeflashError} with message, hint and cause redacted.
 *
 * @param error the error
 * @param secrets values to hide
 * @returns a redacted copy
 *
 * @example
 * ```ts
 * import { userError } from "../errors.ts";
 * import { redactNodeflashError } from "./release_error.ts";
 * const e = redactNodeflashError(userError("release/x", "bad abcd1234"), ["abcd1234"]);
 * if (e.message !== "bad ***" || e.code !== "release/x") throw new Error();
 * ```
 */
export function redactNodeflashError(
  error: NodeflashError,
  secrets: readonly string[],
): NodeflashError {
  return new NodeflashError(error.kind, error.code, redact(error.message, secrets), {
    ...(error.hint === undefined ? {} : { hint: redact(error.hint, secrets) }),
    ...(error.cause === undefined ? {} : { cause: redactedError(error.cause, secrets) }),
    ...(error.details === undefined ? {} : {
      details: JSON.parse(redact(JSON.stringify(error.details), secrets)),
    }),
  });
}

/**
 * The error for an exhausted rate limit: says when the limit resets.
 *
 * @param failure the rate-limit verdict
 * @param context what was being done
 * @param now current time, ms since the epoch
 * @returns a device error `release/rate-limited`
 *
 * @example
 * ```ts
 * import { rateLimitError } from "./release_error.ts";
 * const e = rateLimitError(
 *   { kind: "rate-limit", reason: "API rate limit exceeded", waitMs: 600_000,
 *     resetAt: Date.UTC(2030, 0, 1, 12, 0), limit: 60 },
 *   { host: "api.github.com", action: "looking up a release", subject: "", secrets: [] },
 *   Date.UTC(2030, 0, 1, 11, 50),
 * );
 * if (!e.message.includes("2030-01-01T12:00:00Z")) throw new Error(e.message);
 * ```
 */
export function rateLimitError(
  failure: Extract<Failure, { kind: "rate-limit" }>,
  context: ErrorContext,
  now: number,
): NodeflashError {
  const resetAt = failure.resetAt ?? now + failure.waitMs;
  const iso = new Date(Math.floor(resetAt / 1000) * 1000).toISOString().replace(".000Z", "Z");
  const minutes = Math.max(1, Math.ceil((resetAt - now) / 60_000));
  const limit = failure.limit === undefined ? "" : ` (${failure.limit} requests per hour)`;
  return deviceError(
    "release/rate-limited",
    `GitHub's API rate limit on ${context.host} is exhausted${limit} while ${context.action}; ` +
      `it resets at ${iso} (in about ${minutes} min)`,
    `Authenticated requests get a much higher limit: ${TOKEN_HINT}; or run again after ${iso}.`,
    {
      cause: new Error(redact(failure.reason, context.secrets)),
      details: { resetAt: iso, host: context.host },
    },
  );
}

function httpError(status: number, reason: string, context: ErrorContext): NodeflashError {
  const on = `${context.host}`;
  if (status === 401) {
    return userError(
      "release/bad-credentials",
      `GitHub at ${on} rejected the token while ${context.action}: ${reason}`,
      "Check that the token (--token or GITHUB_TOKEN) is valid and has not expired.",
    );
  }
  if (status === 403) {
    return userError(
      "release/forbidden",
      `GitHub at ${on} refused access while ${context.action}: ${reason}`,
      `Check the token's permissions: ${TOKEN_HINT}.`,
    );
  }
  if (status === 404) {
    return userError(
      "release/not-found",
      `${context.subject} was not found on ${on}`,
      `Check the repository, tag or id; for a private repository ${TOKEN_HINT}.`,
    );
  }
  return deviceError(
    "release/http-error",
    `GitHub at ${on} answered HTTP ${status} while ${context.action}: ${reason}`,
    "Try again later; if it persists, check the API URL.",
  );
}

/**
 * Maps anything a GitHub request threw to a redacted {@link NodeflashError}.
 *
 * @param error what was thrown
 * @param context what was being done, and the secrets to hide
 * @param options attempts made and the classification, if known
 * @returns the error to throw
 *
 * @example
 * ```ts
 * import { releaseError } from "./release_error.ts";
 * const e = releaseError({ status: 404, response: { data: { message: "Not Found" } } }, {
 *   host: "api.github.com", action: "looking up release 'v9' of a/b",
 *   subject: "Release 'v9' of a/b", secrets: [],
 * });
 * if (e.code !== "release/not-found" || e.kind !== "user") throw new Error();
 * ```
 */
export function releaseError(
  error: unknown,
  context: ErrorContext,
  options: ReleaseErrorOptions = {},
): NodeflashError {
  const secrets = context.secrets;
  if (isNodeflashError(error)) {
    const suffix = (options.attempts ?? 1) > 1 ? ` (after ${options.attempts} attempts)` : "";
    const copy = redactNodeflashError(error, secrets);
    return new NodeflashError(copy.kind, copy.code, copy.message + suffix, {
      ...(copy.hint === undefined ? {} : { hint: copy.hint }),
      ...(copy.cause === undefined ? {} : { cause: copy.cause }),
      ...(copy.details === undefined ? {} : { details: copy.details }),
    });
  }
  const reason = redact(serverMessageOf(error), secrets);
  const status = httpStatusOf(error);
  let result: NodeflashError;
  if (
    options.failure?.kind === "transient" || (status === undefined && error instanceof TypeError)
  ) {
    const attempts = options.attempts ?? 1;
    result = deviceError(
      "release/unavailable",
      `GitHub at ${context.host} could not be reached while ${context.action}` +
        `${attempts > 1 ? ` (${attempts} attempts)` : ""}: ${reason}`,
      "Check the network and the API URL, then try again.",
    );
  } else if (status !== undefined) {
    result = httpError(status, reason, context);
  } else {
    result = deviceError(
      "release/request-failed",
      `Request to GitHub at ${context.host} failed while ${context.action}: ${reason}`,
      "Check the network and the API URL, then try again.",
    );
  }
  return new NodeflashError(result.kind, result.code, result.message, {
    ...(result.hint === undefined ? {} : { hint: result.hint }),
    cause: redactedError(error, secrets),
    ...(status === undefined ? {} : { details: { status } }),
  });
}
