/**
 * The command table: every command of the CLI, in the order `--help` lists them.
 *
 * @module
 */

import type { Command } from "./command.ts";

/** All commands. */
export const COMMANDS: readonly Command[] = [];
