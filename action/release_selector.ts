/**
 * Turns the `release` input into what the release layer takes. An empty input means the release
 * that triggered the workflow: the `release` event's payload, read from `GITHUB_EVENT_PATH`.
 *
 * @module
 */

import type { ReleaseSelector } from "../lib/release/mod.ts";
import { userError } from "../mod.ts";
import type { ReleaseChoice } from "./release_inputs.ts";
import type { RunnerContext } from "./runner_context.ts";

/**
 * The release selector for a `release` input.
 *
 * @param choice the parsed input
 * @param runner the event's name and payload file
 * @returns the selector; for the triggering release, the event payload
 * @throws a user error `input/release` when the input is empty and the run was not started by a
 *   `release` event, or its payload cannot be read
 *
 * @example
 * ```ts
 * import { releaseSelector } from "./release_selector.ts";
 * import assert from "node:assert/strict";
 * const runner = { eventName: "push", eventPath: undefined, apiUrl: undefined,
 *   workspace: ".", workDir: ".", env: {} };
 * assert.deepEqual(await releaseSelector({ kind: "tag", tag: "v1" }, runner), { kind: "tag", tag: "v1" });
 * await assert.rejects(releaseSelector({ kind: "triggering" }, runner), /input 'release'/);
 * ```
 */
export async function releaseSelector(
  choice: ReleaseChoice,
  runner: RunnerContext,
): Promise<ReleaseSelector> {
  if (choice.kind !== "triggering") return choice;
  if (runner.eventName !== "release" || runner.eventPath === undefined) {
    const what = runner.eventName === "" ? "outside GitHub Actions" : `by '${runner.eventName}'`;
    throw userError(
      "input/release",
      `input 'release': empty, so the release that triggered the workflow is used, but this run was started ${what}`,
      "Set release: latest, a tag, or id:<number> (e.g. release: ${{ inputs.tag }} for workflow_dispatch).",
    );
  }
  let text: string;
  try {
    text = await Deno.readTextFile(runner.eventPath);
  } catch (e) {
    throw userError(
      "input/release",
      `input 'release': cannot read the release event payload ${runner.eventPath}: ${
        e instanceof Error ? e.message : String(e)
      }`,
      "Run the Action as a step of a job (the runner writes GITHUB_EVENT_PATH), or name a release.",
    );
  }
  try {
    return { kind: "event", event: JSON.parse(text) };
  } catch {
    throw userError(
      "input/release",
      `input 'release': the event payload ${runner.eventPath} is not JSON`,
      "Name a release (latest, a tag, id:<number>) instead.",
    );
  }
}
