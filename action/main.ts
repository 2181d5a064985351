/**
 * The Action's entry point, as `action.yml` runs it: read the inputs from the environment,
 * parse them, run, publish the outputs and summary. The only file that sets the exit status.
 *
 * @module
 */

import * as core from "@actions/core";
import { tmpdir } from "node:os";
import { isNodeflashError } from "../mod.ts";
import { inputsFromEnv, parseInputs } from "./inputs.ts";
import { publishReport } from "./report.ts";
import { runAction } from "./run_action.ts";
import { runnerContext } from "./runner_context.ts";

async function main(): Promise<void> {
  const env = Deno.env.toObject();
  const raw = inputsFromEnv(env);
  if (raw["token"]) core.setSecret(raw["token"]);
  const config = parseInputs(raw, { onNote: (note) => core.notice(note) });
  const runner = runnerContext(env, { cwd: Deno.cwd(), tempDir: tmpdir() });
  const run = await runAction(config, runner, {
    onLine: (line, port) => core.info(port === undefined ? line : `[${port}] ${line}`),
  });
  await publishReport(run, { summaryFile: env["GITHUB_STEP_SUMMARY"] ? "set" : "unset" });
  const failed = run.results.filter((r) => !r.ok);
  if (failed.length > 0) {
    const which = failed.map((r) => `${r.port} (${r.problem?.code ?? r.stage})`).join(", ");
    core.setFailed(`${failed.length} of ${run.results.length} boards failed: ${which}`);
  }
}

if (import.meta.main) {
  await main().catch((e: unknown) => {
    if (isNodeflashError(e)) {
      core.setFailed(`${e.message} [${e.code}]${e.hint ? `\nHint: ${e.hint}` : ""}`);
    } else {
      core.setFailed(e instanceof Error ? e.stack ?? e.message : String(e));
    }
  });
}
