/**
 * The Action's outputs, as strings for `core.setOutput`: which release and firmware were used,
 * one JSON record per board, and where the serial logs are. Pure.
 *
 * @module
 */

import type { BoardLogFiles } from "./board_logs.ts";
import type { BoardResult } from "./flash_board.ts";
import type { PreparedFirmware } from "./prepare_firmware.ts";

/** Every output of `action.yml`. */
export const OUTPUT_NAMES = [
  "release-tag",
  "firmware-name",
  "firmware-sha256",
  "results",
  "log-dir",
] as const;

/** One output's name. */
export type OutputName = typeof OUTPUT_NAMES[number];

/** What a run produced. */
export interface RunReport {
  /** The firmware that was flashed. */
  prepared: Pick<PreparedFirmware, "firmware" | "release">;
  /** One result per board. */
  results: BoardResult[];
  /** The boards' log files, in the same order. */
  logs: BoardLogFiles[];
  /** The log directory. */
  logDir: string;
  /** Each board's JUnit file, when it ran Lua tests. */
  junit?: (string | null)[];
}

/** One board in the `results` output. */
export interface BoardRecord {
  /** The port as given. */
  port: string;
  /** Flashed, verified and (when asked) smoke-tested. */
  ok: boolean;
  /** `done`, or the step that failed. */
  stage: BoardResult["stage"];
  /** Chip description. */
  chip: string | null;
  /** MAC address. */
  mac: string | null;
  /** Flash size in bytes. */
  flashBytes: number | null;
  /** Bytes written. */
  bytesWritten: number;
  /** Bytes already there. */
  bytesSkipped: number;
  /** Seconds spent flashing. */
  seconds: number;
  /** The smoke test, when it ran. */
  smoke: BoardResult["smoke"];
  /** Why the board failed. */
  error: BoardResult["problem"];
  /** The board's text log. */
  log: string | null;
  /** What the board printed. */
  serialLog: string | null;
  /** The Lua side: files uploaded and left alone, each test's result. */
  lua: {
    uploaded: string[];
    unchanged: string[];
    tests: { file: string; path: string; name: string; status: string; message: string }[];
  } | null;
  /** The board's JUnit file, when it ran Lua tests. */
  junit: string | null;
}

/**
 * The `results` records: everything about each board except its log lines.
 *
 * @param report the run
 * @returns one record per board
 *
 * @example
 * ```ts
 * import { boardRecords } from "./outputs.ts";
 * import assert from "node:assert/strict";
 * const [record] = boardRecords({ results: [{ port: "sim://", ok: true, stage: "done",
 *   chip: "ESP8266EX", mac: "5c:cf:7f:00:00:01", flashBytes: 4194304, bytesWritten: 4096,
 *   bytesSkipped: 0, seconds: 1.5, smoke: null, problem: null, lines: [],
 *   console: new Uint8Array() }], logs: [] });
 * assert.equal(record?.mac, "5c:cf:7f:00:00:01");
 * assert.equal(record?.log, null);
 * ```
 */
export function boardRecords(
  report: Pick<RunReport, "results" | "logs" | "junit">,
): BoardRecord[] {
  return report.results.map((r, i) => ({
    port: r.port,
    ok: r.ok,
    stage: r.stage,
    chip: r.chip,
    mac: r.mac,
    flashBytes: r.flashBytes,
    bytesWritten: r.bytesWritten,
    bytesSkipped: r.bytesSkipped,
    seconds: r.seconds,
    smoke: r.smoke,
    error: r.problem,
    log: report.logs[i]?.log ?? null,
    serialLog: report.logs[i]?.serial ?? null,
    lua: r.lua
      ? {
        uploaded: r.lua.uploaded,
        unchanged: r.lua.unchanged,
        tests: r.lua.tests.flatMap((f) =>
          f.tests.map((t) => ({
            file: t.file,
            path: f.path,
            name: t.name,
            status: t.status,
            message: t.message,
          }))
        ),
      }
      : null,
    junit: report.junit?.[i] ?? null,
  }));
}

/**
 * The outputs of a run.
 *
 * @param report the run
 * @returns each output's value
 *
 * @example
 * ```ts
 * import { actionOutputs } from "./outputs.ts";
 * import assert from "node:assert/strict";
 * const outputs = actionOutputs({
 *   prepared: { firmware: { name: "nodemcu.bin", size: 4, sha256: "ab", source: "workspace" },
 *     release: undefined },
 *   results: [], logs: [], logDir: "/tmp/logs",
 * });
 * assert.equal(outputs["release-tag"], "");
 * assert.equal(outputs.results, "[]");
 * ```
 */
export function actionOutputs(report: RunReport): Record<OutputName, string> {
  return {
    "release-tag": report.prepared.release?.tag ?? "",
    "firmware-name": report.prepared.firmware.name,
    "firmware-sha256": report.prepared.firmware.sha256,
    results: JSON.stringify(boardRecords(report)),
    "log-dir": report.logDir,
  };
}
