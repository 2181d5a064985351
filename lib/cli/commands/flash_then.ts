/**
 * `flash ... --then-upload DIR --then-test GLOB`: the rack's whole job in one command. After
 * the firmware (and `--smoke`), the board's Lua side gets the folder synced and the test files
 * run; their inputs are read and checked before anything is flashed.
 *
 * @module
 */

import type { Transport } from "../../../mod.ts";
import {
  checkLuaSource,
  expandGlobs,
  type LocalFile,
  openLuaSession,
  readLocalDir,
  readLocalFile,
  runTests,
  syncFiles,
} from "../../lua/mod.ts";
import type { CommandContext, OptionSpec } from "../command.ts";
import { renderLuaEvents } from "../lua_render.ts";
import { testResultJson } from "./test.ts";

/** The options. */
export const THEN_OPTIONS: Record<string, OptionSpec> = {
  "then-upload": {
    type: "string",
    valueName: "DIR",
    description: "after flashing, sync this folder's files to the board",
  },
  "then-test": {
    type: "string",
    multiple: true,
    valueName: "GLOB",
    description: "after flashing (and --then-upload), run these Lua test files on the board",
  },
};

/** What to do after flashing, read and checked. */
export interface ThenJob {
  /** Files to sync. */
  upload: LocalFile[] | undefined;
  /** Test files to run. */
  tests: LocalFile[];
}

/**
 * Reads `--then-upload` and `--then-test` (before the port is opened).
 *
 * @param ctx the command context
 * @returns the job, or `undefined` when neither was given
 */
export async function thenJob(ctx: CommandContext): Promise<ThenJob | undefined> {
  const dir = ctx.options["then-upload"];
  const globs = ctx.options["then-test"];
  const patterns = Array.isArray(globs) ? globs : typeof globs === "string" ? [globs] : [];
  if (typeof dir !== "string" && patterns.length === 0) return undefined;
  const tests: LocalFile[] = [];
  for (const path of patterns.length > 0 ? await expandGlobs(patterns) : []) {
    const file = await readLocalFile(path);
    checkLuaSource(file);
    tests.push(file);
  }
  return { upload: typeof dir === "string" ? await readLocalDir(dir) : undefined, tests };
}

/**
 * Runs the job on a board that was just flashed.
 *
 * @param ctx the command context
 * @param transport the board's port
 * @param job what to do
 * @param options whether the board still needs its reset into the firmware
 * @returns `ok` and the fields for the result object
 */
export async function runThenJob(
  ctx: CommandContext,
  transport: Transport,
  job: ThenJob,
  options: { reset: boolean },
): Promise<{ ok: boolean; json: Record<string, unknown> }> {
  const render = renderLuaEvents(ctx.out);
  const reset = options.reset && transport.info.modemLines ? "rts-pulse" : "none";
  const session = await openLuaSession(transport, { reset, onEvent: render.onEvent });
  try {
    const json: Record<string, unknown> = {};
    if (job.upload !== undefined) {
      const synced = await syncFiles(session, job.upload);
      json.uploaded = synced.uploaded.map((u) => u.name);
      json.unchanged = synced.unchanged;
    }
    let ok = true;
    if (job.tests.length > 0) {
      const results = testResultJson(await runTests(session, job.tests));
      ok = results.ok;
      json.tests = results.tests;
    }
    return { ok, json: { ok, ...json } };
  } finally {
    session.close();
    render.close();
  }
}
