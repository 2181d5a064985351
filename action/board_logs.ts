/**
 * The per-board log files under the `log-dir` output (for `actions/upload-artifact`): a text
 * log of what the flasher and the smoke test did, and the raw bytes the board printed.
 *
 * @module
 */

import { join } from "node:path";
import type { BoardResult } from "./flash_board.ts";

/** The files written for one board. */
export interface BoardLogFiles {
  /** The text log. */
  log: string;
  /** Everything the board printed during the smoke test. */
  serial: string;
}

/**
 * A file-name stem for a board: its position and its port, with anything unsafe replaced.
 *
 * @param index the board's position, from 0
 * @param port its port
 * @returns e.g. `board-1-dev-ttyUSB0`
 *
 * @example
 * ```ts
 * import { logStem } from "./board_logs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(logStem(0, "/dev/ttyUSB0"), "board-1-dev-ttyUSB0");
 * assert.equal(logStem(1, "rfc2217://10.0.0.2:4000"), "board-2-rfc2217-10.0.0.2-4000");
 * ```
 */
export function logStem(index: number, port: string): string {
  const safe = port.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80);
  return `board-${index + 1}-${safe}`;
}

/**
 * Writes each board's logs into `dir` (created).
 *
 * @param results the boards' results, in port order
 * @param dir the log directory
 * @returns the files, in the same order
 *
 * @example
 * ```ts
 * import { writeBoardLogs } from "./board_logs.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const [files] = await writeBoardLogs([{ port: "sim://", lines: ["flashed"],
 *   console: new TextEncoder().encode("> ") }], dir);
 * assert.equal(await Deno.readTextFile(files!.serial), "> ");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeBoardLogs(
  results: ReadonlyArray<Pick<BoardResult, "port" | "lines" | "console">>,
  dir: string,
): Promise<BoardLogFiles[]> {
  await Deno.mkdir(dir, { recursive: true });
  return await Promise.all(results.map(async (result, index) => {
    const stem = join(dir, logStem(index, result.port));
    const files = { log: `${stem}.log`, serial: `${stem}.serial.log` };
    const header = `nodeflash: ${result.port}\n`;
    await Deno.writeTextFile(files.log, header + result.lines.map((l) => `${l}\n`).join(""));
    await Deno.writeFile(files.serial, result.console);
    return files;
  }));
}
