/**
 * The Action's work, from parsed inputs to a report: find the ports, fetch and verify the
 * firmware once (before any board is touched), flash every board in parallel, write the logs.
 *
 * @module
 */

import { join } from "node:path";
import { openReopenable, openTransport, type Transport } from "../mod.ts";
import { writeBoardLogs } from "./board_logs.ts";
import { findPorts, type FindPortsOptions } from "./find_ports.ts";
import { flashAll } from "./flash_all.ts";
import type { BoardSettings } from "./flash_board.ts";
import type { ActionConfig } from "./inputs.ts";
import type { RunReport } from "./outputs.ts";
import { type PreparedFirmware, prepareFirmware, type ReleaseNote } from "./prepare_firmware.ts";
import type { RunnerContext } from "./runner_context.ts";
import { type LuaJob, prepareLuaJob } from "./lua_board.ts";
import { writeJunitFiles } from "./lua_report.ts";

/** The rate ports are opened at (the ROM syncs at it; the stub then switches to `baud`). */
const SYNC_BAUD = 115200;

/** How long a port that went away is waited for (as the CLI's default --reconnect-wait), ms. */
const RECONNECT_WAIT_MS = 5000;

/** Options for {@link runAction}. */
export interface RunActionOptions {
  /** Log lines: the Action's own (`port` undefined) and each board's. */
  onLine?: (line: string, port?: string) => void;
  /** Opens a port (`openTransport` at 115200 by default). */
  open?: (port: string) => Promise<Transport>;
  /** Lists serial ports for `auto` (tests). */
  findPorts?: FindPortsOptions;
  /** `fetch` for the GitHub API (tests). */
  fetch?: typeof fetch;
}

/** A run: the report plus the prepared firmware. */
export interface ActionRun extends RunReport {
  /** What was flashed. */
  prepared: PreparedFirmware;
  /** The Lua files and tests each board got. */
  lua?: LuaJob;
}

function noteLine(note: ReleaseNote): string | undefined {
  switch (note.type) {
    case "resolved":
      return `release ${note.repository} ${note.tag} (id ${note.releaseId})`;
    case "retry":
      return `GitHub request failed (${note.reason}); retry ${note.attempt} of ${note.attempts} in ${
        Math.round(note.delayMs / 1000)
      } s`;
    case "waiting-for-asset":
      return `waiting for ${note.asset} (${note.state}) to finish uploading, ${note.attempt} of ${note.attempts}`;
    case "cache-hit":
      return `using the cached copy ${note.path}`;
    case "cache-stored":
      return undefined;
  }
}

function settingsFrom(config: ActionConfig, prepared: PreparedFirmware): BoardSettings {
  return {
    files: prepared.files,
    initData: prepared.initData,
    baud: config.baud,
    flashMode: config.flashMode,
    flashSize: config.flashSize,
    erase: config.erase,
    smoke: config.smoke,
    smokeTimeoutMs: config.smokeTimeoutMs,
    probe: config.probe,
  };
}

/**
 * Runs the Action.
 *
 * @param config the parsed inputs
 * @param runner the runner's context (event, API, workspace, work directory)
 * @returns the run; boards' failures are in it, never thrown
 * @throws user errors for bad inputs, release errors when the firmware cannot be fetched
 *   (before any board is touched)
 *
 * @example Two simulated boards, firmware from the workspace
 * ```ts
 * import { runAction } from "./run_action.ts";
 * import { parseInputs } from "./inputs.ts";
 * import { runnerContext } from "./runner_context.ts";
 * import { buildNodemcuFirmware } from "../lib/testing/mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/fw.bin`, buildNodemcuFirmware({ totalSize: 0x12000 }).combined);
 * const config = parseInputs({ firmware: "./fw.bin", ports: "sim://?seed=1\nsim://?seed=2", smoke: "false" });
 * const run = await runAction(config, runnerContext({}, { cwd: dir, tempDir: dir }));
 * assert.deepEqual(run.results.map((r) => r.ok), [true, true]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function runAction(
  config: ActionConfig,
  runner: RunnerContext,
  options: RunActionOptions = {},
): Promise<ActionRun> {
  const say = (line: string) => options.onLine?.(line);
  const lua = await prepareLuaJob(config, runner.workspace);
  const ports = await findPorts(config.ports, options.findPorts);
  say(`boards: ${ports.join(", ")}`);
  await Deno.mkdir(runner.workDir, { recursive: true });
  const runDir = await Deno.makeTempDir({ dir: runner.workDir, prefix: "run-" });
  let prepared: PreparedFirmware;
  try {
    prepared = await prepareFirmware(config, runner, {
      destDir: join(runDir, "firmware"),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      onNote: (note) => {
        const line = noteLine(note);
        if (line !== undefined) say(line);
      },
    });
  } catch (e) {
    await Deno.remove(runDir, { recursive: true }).catch(() => {});
    throw e;
  }
  const fw = prepared.firmware;
  say(`firmware ${fw.name}: ${fw.size} bytes, sha256 ${fw.sha256} (${fw.source})`);
  const results = await flashAll(ports, {
    settings: { ...settingsFrom(config, prepared), ...(lua ? { lua } : {}) },
    // a port that goes away for a moment (a hub re-enumerating) is waited for and reopened
    open: options.open ??
      ((port) =>
        /^sim:/i.test(port)
          ? openTransport(port, { baudRate: SYNC_BAUD })
          : openReopenable(port, { baudRate: SYNC_BAUD, waitMs: RECONNECT_WAIT_MS })),
    onLine: (port, line) => options.onLine?.(line, port),
  });
  const logDir = join(runDir, "logs");
  const logs = await writeBoardLogs(results, logDir);
  const junit = await writeJunitFiles(results, logDir);
  return { prepared, results, logs, logDir, junit, ...(lua ? { lua } : {}) };
}
