/**
 * All boards at once: each board's job runs in parallel with the others, under its own port
 * lock (taken by the serial transport when it opens), and one board's failure does not stop
 * the rest. The results come back in the order of the ports.
 *
 * @module
 */

import { type BoardResult, flashBoard, type FlashBoardOptions } from "./flash_board.ts";

/** Options for {@link flashAll}. */
export interface FlashAllOptions extends Omit<FlashBoardOptions, "onLine"> {
  /** Each board's log lines as they happen, with the board's port. */
  onLine?: (port: string, line: string) => void;
}

/**
 * Flashes every board in parallel.
 *
 * @param ports the boards' ports
 * @param options settings, how to open ports, log lines
 * @returns one result per port, in order; never throws for a board's failure
 *
 * @example
 * ```ts
 * import { flashAll } from "./flash_all.ts";
 * import { userError } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const results = await flashAll(["/dev/a", "/dev/b"], {
 *   settings: { files: [], initData: { kind: "none" }, baud: 460800, flashMode: "keep",
 *     flashSize: "detect", erase: "none", smoke: "off", smokeTimeoutMs: 1000, probe: undefined },
 *   open: (port) => Promise.reject(userError("port/busy", `${port} is busy`, "Wait.")),
 * });
 * assert.deepEqual(results.map((r) => r.port), ["/dev/a", "/dev/b"]);
 * assert.ok(results.every((r) => r.problem?.code === "port/busy"));
 * ```
 */
export function flashAll(ports: string[], options: FlashAllOptions): Promise<BoardResult[]> {
  const { onLine, ...rest } = options;
  return Promise.all(ports.map((port) =>
    flashBoard(port, {
      ...rest,
      ...(onLine === undefined ? {} : { onLine: (line: string) => onLine(port, line) }),
    })
  ));
}
