/**
 * Keeps tokens out of errors and events: every text that leaves the release layer and may
 * carry something a server or a library echoed goes through {@link redact}.
 *
 * @module
 */

/** What a secret is replaced with. */
export const REDACTED = "***";

/** GitHub token shapes (classic, fine-grained, app, OAuth, refresh), redacted even if unknown. */
const TOKEN_SHAPES = /\b(?:gh[opsur]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g;

/**
 * Replaces every occurrence of the given secrets, and anything shaped like a GitHub token,
 * with `***`.
 *
 * @param text the text to clean
 * @param secrets values to hide; empty strings and very short values are ignored
 * @returns the cleaned text
 *
 * @example
 * ```ts
 * import { redact } from "./redact.ts";
 * const out = redact("auth failed for s3cr3t-value", ["s3cr3t-value"]);
 * if (out !== "auth failed for ***") throw new Error(out);
 * ```
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out.replace(TOKEN_SHAPES, REDACTED);
}

/**
 * Turns any thrown value into a plain `Error` whose name and message are redacted and which
 * keeps no reference to request objects, headers or nested causes that might hold a token.
 *
 * @param error the original error
 * @param secrets values to hide
 * @returns a detached, redacted copy
 *
 * @example
 * ```ts
 * import { redactedError } from "./redact.ts";
 * const original = Object.assign(new Error("token abcd1234 rejected"), {
 *   request: { headers: { authorization: "token abcd1234" } },
 * });
 * const safe = redactedError(original, ["abcd1234"]);
 * if (safe.message.includes("abcd1234") || "request" in safe) throw new Error();
 * ```
 */
export function redactedError(error: unknown, secrets: readonly string[]): Error {
  if (error instanceof Error) {
    const copy = new Error(redact(error.message, secrets));
    copy.name = redact(error.name, secrets);
    copy.stack = redact(error.stack ?? "", secrets);
    return copy;
  }
  return new Error(redact(String(error), secrets));
}
