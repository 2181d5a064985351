/**
 * Durations in messages: milliseconds below a second (`250 ms`, never `0.3 s` or `0.0 s`),
 * seconds with one decimal above (`2.5 s`).
 *
 * @module
 */

/**
 * Formats a duration for a message.
 *
 * @param ms the duration in milliseconds
 * @returns `250 ms`, `1 s`, `2.5 s`...
 *
 * @example
 * ```ts
 * import { formatDuration } from "./duration.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatDuration(40), "40 ms");
 * assert.equal(formatDuration(999.6), "1 s");
 * assert.equal(formatDuration(3000), "3 s");
 * assert.equal(formatDuration(2540), "2.5 s");
 * ```
 */
export function formatDuration(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  return `${Math.round(ms / 100) / 10} s`;
}
