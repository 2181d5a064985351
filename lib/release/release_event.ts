/**
 * Reads the release out of a workflow's `release` event payload (the parsed JSON file at
 * `GITHUB_EVENT_PATH`; the caller reads and parses it, this module never touches the
 * environment).
 *
 * @module
 */

import { userError } from "../errors.ts";
import { parseRepository } from "./release_ref.ts";
import { parseRelease } from "./release_info.ts";
import type { ReleaseInfo, Repository } from "./types.ts";

/** What a `release` event says. */
export interface EventRelease {
  /** The event's `action` (`"published"`, `"released"`...), if present. */
  action: string | undefined;
  /** `repository.full_name` of the payload, if present. */
  repository: Repository | undefined;
  /** The release as the event saw it (assets may still be uploading). */
  release: ReleaseInfo;
}

function objectOrUndefined(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}

/**
 * Reads a `release` event payload.
 *
 * @param event the parsed event JSON
 * @returns action, repository and release
 *
 * @example
 * ```ts
 * import { releaseFromEvent } from "./release_event.ts";
 * const { release, repository } = releaseFromEvent({
 *   action: "published",
 *   repository: { full_name: "nodemcu/nodemcu-firmware" },
 *   release: { id: 9, tag_name: "v2", name: "v2", draft: false, prerelease: false,
 *     created_at: "2024-01-01T00:00:00Z", published_at: "2024-01-01T00:01:00Z", assets: [] },
 * });
 * if (release.id !== 9 || repository?.repo !== "nodemcu-firmware") throw new Error();
 * ```
 */
export function releaseFromEvent(event: unknown): EventRelease {
  const payload = objectOrUndefined(event);
  const release = objectOrUndefined(payload?.["release"]);
  if (payload === undefined || release === undefined) {
    throw userError(
      "release/not-a-release-event",
      "The workflow event payload has no 'release' object",
      "Trigger the workflow with 'on: release', or name a tag or 'latest' instead.",
    );
  }
  const fullName = objectOrUndefined(payload["repository"])?.["full_name"];
  const action = payload["action"];
  return {
    action: typeof action === "string" ? action : undefined,
    repository: typeof fullName === "string" ? parseRepository(fullName) : undefined,
    release: parseRelease(release),
  };
}
