/**
 * A job as a whole: stopped by its caller (Ctrl-C, SIGTERM, an aborted signal).
 *
 * Rows of the error-code table (./error_codes.ts); add a code's row here, in its area.
 *
 * @module
 */

import type { ErrorCode } from "./error_code.ts";

/** A job as a whole. */
export const JOB_CODES: readonly ErrorCode[] = [
  {
    code: "job/interrupted",
    kind: "user",
    meaning:
      "The command was stopped by its caller (Ctrl-C, SIGTERM, an aborted signal); the message says where it was. The CLI exits 130 (143 for SIGTERM) and closes the port.",
    hint:
      "Run the same command again to finish: what is already on the chip is skipped. A second Ctrl-C ends nodeflash at once.",
  },
];
