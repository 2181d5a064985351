/**
 * What the GitHub runner tells a step through its default environment variables: the event,
 * the API, the workspace, a temp directory, the output and summary files. Pure: the caller
 * passes the environment in.
 *
 * @module
 */

import { join } from "node:path";

/** The runner's context, from its default environment variables. */
export interface RunnerContext {
  /** `GITHUB_EVENT_NAME` (`release`, `push`, `workflow_dispatch`...), `""` outside Actions. */
  eventName: string;
  /** `GITHUB_EVENT_PATH`: the event payload's JSON file. */
  eventPath: string | undefined;
  /** `GITHUB_API_URL` (GitHub Enterprise Server has its own). */
  apiUrl: string | undefined;
  /** `GITHUB_WORKSPACE`: workspace paths are relative to it (the current directory outside). */
  workspace: string;
  /** Where downloads and serial logs go: `RUNNER_TEMP/nodeflash` (the OS temp dir outside). */
  workDir: string;
  /** The environment, for the release cache's location. */
  env: Record<string, string | undefined>;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Reads the runner's context out of an environment.
 *
 * @param env the environment (`Deno.env.toObject()`)
 * @param fallback the directories to use outside Actions
 * @returns the context
 *
 * @example
 * ```ts
 * import { runnerContext } from "./runner_context.ts";
 * import assert from "node:assert/strict";
 * const ctx = runnerContext(
 *   { GITHUB_EVENT_NAME: "release", RUNNER_TEMP: "/tmp/r", GITHUB_WORKSPACE: "/w" },
 *   { cwd: "/", tempDir: "/tmp" },
 * );
 * assert.equal(ctx.eventName, "release");
 * assert.equal(ctx.workDir, "/tmp/r/nodeflash");
 * ```
 */
export function runnerContext(
  env: Record<string, string | undefined>,
  fallback: { cwd: string; tempDir: string },
): RunnerContext {
  return {
    eventName: env["GITHUB_EVENT_NAME"] ?? "",
    eventPath: nonEmpty(env["GITHUB_EVENT_PATH"]),
    apiUrl: nonEmpty(env["GITHUB_API_URL"]),
    workspace: nonEmpty(env["GITHUB_WORKSPACE"]) ?? fallback.cwd,
    workDir: join(nonEmpty(env["RUNNER_TEMP"]) ?? fallback.tempDir, "nodeflash"),
    env,
  };
}
