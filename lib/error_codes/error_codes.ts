/**
 * The error-code table: every code nodeflash raises or reports (errors, warnings and notes),
 * with its kind, meaning and hint. docs/errors.md is generated from it, and
 * tests/error_codes_test.ts fails when the source uses a code that has no row here.
 *
 * Adding a code: add its row to the file of its area (`board_codes.ts`, `port_codes.ts`...). A
 * new area gets a file of its own, spread into {@link ERROR_CODES} below.
 *
 * @module
 */

import { ACTION_INPUT_CODES } from "./action_input_codes.ts";
import { BOARD_CODES } from "./board_codes.ts";
import { CLI_CODES } from "./cli_codes.ts";
import type { ErrorCode } from "./error_code.ts";
import { IMAGE_CODES } from "./image_codes.ts";
import { JOB_CODES } from "./job_codes.ts";
import { LINK_CODES } from "./link_codes.ts";
import { PORT_CODES } from "./port_codes.ts";
import { RELEASE_CODES } from "./release_codes.ts";
import { SIM_CODES } from "./sim_codes.ts";
import { SMOKE_CODES } from "./smoke_codes.ts";
import { LUA_CODES } from "./lua_codes.ts";
import { STATUS_CODES } from "./status_codes.ts";

/** Every code, grouped by area, in the order docs/errors.md lists them. */
export const ERROR_CODES: readonly ErrorCode[] = [
  ...BOARD_CODES,
  ...JOB_CODES,
  ...STATUS_CODES,
  ...LINK_CODES,
  ...PORT_CODES,
  ...IMAGE_CODES,
  ...CLI_CODES,
  ...ACTION_INPUT_CODES,
  ...SMOKE_CODES,
  ...LUA_CODES,
  ...RELEASE_CODES,
  ...SIM_CODES,
];

/**
 * The row of a code.
 *
 * @param code e.g. `connect/no-sync`
 * @returns its row, or `undefined` when the table has none
 *
 * @example
 * ```ts
 * import { errorCode } from "./error_codes.ts";
 * import assert from "node:assert/strict";
 * assert.equal(errorCode("port/busy")?.kind, "device");
 * assert.equal(errorCode("no/such-code"), undefined);
 * ```
 */
export function errorCode(code: string): ErrorCode | undefined {
  return ERROR_CODES.find((row) => row.code === code);
}
