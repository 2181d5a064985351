/**
 * Failure signatures: the lines the ROM, the SDK and NodeMCU print when a boot goes wrong
 * (docs/boot-log.md B), as a table of patterns. Finding them is pure; what they mean to the user is
 * decided by `diagnose.ts`.
 *
 * @module
 */

import { consoleLines } from "./console_text.ts";

/** Which failure a line shows. */
export type SignatureId =
  | "csum-error"
  | "ets-main"
  | "rf-cal"
  | "system-param"
  | "fatal-exception"
  | "lua-panic"
  | "heap-exhausted"
  | "cannot-create-state"
  | "format-failed"
  | "partition-table"
  | "waiting-for-host"
  | "wdt-reset";

/** One signature line found in console text. */
export interface SignatureMatch {
  /** Which failure. */
  id: SignatureId;
  /** Offset of the line. */
  at: number;
  /** The line, trimmed. */
  line: string;
  /** The interesting part: the panic message, the exception number, the `is 0x..` byte. */
  detail: string | undefined;
  /** Whether the boot cannot recover from it (stop waiting for a prompt). */
  fatal: boolean;
}

/** One row of {@link SIGNATURE_RULES}. */
export interface SignatureRule {
  /** Which failure. */
  id: SignatureId;
  /** What a line must match; the first capture group, if any, is the detail. */
  pattern: RegExp;
  /** Whether the boot cannot recover from it. */
  fatal: boolean;
}

/** The table: pattern per failure, and whether the boot can survive it. */
export const SIGNATURE_RULES: readonly Readonly<SignatureRule>[] = [
  { id: "csum-error", pattern: /csum err/, fatal: true },
  { id: "ets-main", pattern: /ets_main\.c/, fatal: true },
  { id: "rf-cal", pattern: /rf_cal\[0\]\s*!=\s*0x05,?\s*is (0x[0-9A-Fa-f]{1,2})?/, fatal: true },
  { id: "system-param", pattern: /system param error/, fatal: false },
  { id: "fatal-exception", pattern: /Fatal exception \(?(\d+)\)?/, fatal: true },
  {
    id: "lua-panic",
    pattern: /PANIC: unprotected error in call to Lua API(?: \((.*)\))?/,
    fatal: true,
  },
  { id: "cannot-create-state", pattern: /cannot create state(?:: (.*))?/, fatal: true },
  { id: "heap-exhausted", pattern: /\bE:M (\d+)|not enough memory/, fatal: false },
  { id: "format-failed", pattern: /\*\*\* ERROR \*\*\*: unable to format/, fatal: true },
  {
    id: "partition-table",
    pattern:
      /Invalid system partition table|Partition \d+ invalid alignment|Flash size \((\d+)\) too small to support NodeMCU/,
    fatal: true,
  },
  { id: "waiting-for-host", pattern: /waiting for host/, fatal: true },
  { id: "wdt-reset", pattern: /wdt reset/, fatal: false },
];

/**
 * Finds every failure signature in console text, in order (a line may show more than one).
 *
 * @param text console text
 * @returns the matches
 *
 * @example
 * ```ts
 * import { findSignatures } from "./signatures.ts";
 * import assert from "node:assert/strict";
 * const [m] = findSignatures("x\r\nFatal exception (28):\r\n");
 * assert.equal(m?.id, "fatal-exception");
 * assert.equal(m?.detail, "28");
 * ```
 */
export function findSignatures(text: string): SignatureMatch[] {
  const out: SignatureMatch[] = [];
  for (const line of consoleLines(text)) {
    if (line.text.length < 8) continue;
    for (const rule of SIGNATURE_RULES) {
      const m = rule.pattern.exec(line.text);
      if (!m) continue;
      const detail = m.slice(1).find((g) => g !== undefined);
      out.push({
        id: rule.id,
        at: line.at,
        line: line.text.trim(),
        detail,
        fatal: rule.fatal,
      });
    }
  }
  return out;
}
