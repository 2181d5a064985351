/**
 * Finds the release a {@link ReleaseSelector} names. `latest` uses GitHub's own "latest"
 * endpoint unless drafts or pre-releases are asked for; only then are releases listed. An
 * explicit tag, id or event returns what it names, draft or pre-release alike (the result says
 * which).
 *
 * @module
 */

import { isNodeflashError, userError } from "../errors.ts";
import type { GitHubReleaseClient } from "./github_client.ts";
import { releaseFromEvent } from "./release_event.ts";
import type { ReleaseInfo, ReleaseSelector, Repository } from "./types.ts";
import { repositoryName } from "./types.ts";

/** Whether a kind of release may be chosen as "latest". */
export type Inclusion = "exclude" | "include";

/** Options for {@link resolveRelease}. */
export interface ResolveReleaseOptions {
  /** The repository; optional for `event` (the payload names it). */
  repository?: Repository | undefined;
  /** Which release. */
  release: ReleaseSelector;
  /** Let `latest` pick a draft, and look for drafts by tag (needs push access). */
  drafts?: Inclusion | undefined;
  /** Let `latest` pick a pre-release. */
  prereleases?: Inclusion | undefined;
  /** Most pages of 100 to list when listing is needed; 10 by default. */
  maxPages?: number | undefined;
}

/** A release and where it lives. */
export interface ResolvedRelease {
  /** The repository. */
  repository: Repository;
  /** The release. */
  release: ReleaseInfo;
}

/** Newest first: GitHub orders "latest" by `created_at`; ties go to the higher id. */
function newestFirst(a: ReleaseInfo, b: ReleaseInfo): number {
  const byDate = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  return byDate !== 0 && !Number.isNaN(byDate) ? byDate : b.id - a.id;
}

async function latest(
  client: GitHubReleaseClient,
  repository: Repository,
  options: ResolveReleaseOptions,
): Promise<ReleaseInfo> {
  const drafts = options.drafts ?? "exclude";
  const prereleases = options.prereleases ?? "exclude";
  if (drafts === "exclude" && prereleases === "exclude") return client.getLatest(repository);
  const all = await client.listReleases(repository, { maxPages: options.maxPages ?? 10 });
  const eligible = all
    .filter((r) =>
      (drafts === "include" || !r.draft) && (prereleases === "include" || !r.prerelease)
    )
    .sort(newestFirst);
  const first = eligible[0];
  if (first === undefined) {
    const kinds = [
      drafts === "include" ? "drafts" : "",
      prereleases === "include" ? "pre-releases" : "",
    ]
      .filter((k) => k !== "").join(" and ");
    throw userError(
      "release/not-found",
      `${repositoryName(repository)} on ${client.host} has no release (${kinds} included)`,
      "Check the repository name; drafts are visible only to a token with push access.",
    );
  }
  return first;
}

async function byTag(
  client: GitHubReleaseClient,
  repository: Repository,
  tag: string,
  options: ResolveReleaseOptions,
): Promise<ReleaseInfo> {
  try {
    return await client.getByTag(repository, tag);
  } catch (error) {
    // GitHub does not find drafts by tag: look through the list when drafts are wanted
    if (!isNodeflashError(error) || error.code !== "release/not-found") throw error;
    if ((options.drafts ?? "exclude") === "exclude") throw error;
    const all = await client.listReleases(repository, { maxPages: options.maxPages ?? 10 });
    const found = all.filter((r) => r.tag === tag).sort(newestFirst)[0];
    if (found === undefined) throw error;
    return found;
  }
}

function fromEvent(
  event: unknown,
  repository: Repository | undefined,
): ResolvedRelease {
  const parsed = releaseFromEvent(event);
  const repo = repository ?? parsed.repository;
  if (repo === undefined) {
    throw userError(
      "release/no-repository",
      "The release event names no repository and none was given",
      "Pass the repository (owner/repo) explicitly.",
    );
  }
  if (
    parsed.repository !== undefined &&
    repositoryName(parsed.repository).toLowerCase() !== repositoryName(repo).toLowerCase()
  ) {
    throw userError(
      "release/event-repository-mismatch",
      `The release event is for ${repositoryName(parsed.repository)}, not ${repositoryName(repo)}`,
      "Leave the repository out to use the event's, or name a tag instead of the event.",
    );
  }
  return { repository: repo, release: parsed.release };
}

/**
 * Resolves a release selector to a release.
 *
 * @param client the GitHub client
 * @param options repository, selector and draft/pre-release inclusion
 * @returns the repository and the release
 *
 * @example
 * ```ts
 * import { GitHubReleaseClient } from "./github_client.ts";
 * import { resolveRelease } from "./resolve_release.ts";
 * const client = new GitHubReleaseClient({ fetch: () => { throw new Error("no request") } });
 * const { release } = await resolveRelease(client, {
 *   repository: { owner: "o", repo: "r" },
 *   release: { kind: "event", event: { release: { id: 5, tag_name: "v5", name: null,
 *     draft: false, prerelease: true, created_at: "2024-01-01T00:00:00Z",
 *     published_at: "2024-01-01T00:00:00Z", assets: [] } } },
 * });
 * if (release.tag !== "v5" || !release.prerelease) throw new Error();
 * ```
 */
export async function resolveRelease(
  client: GitHubReleaseClient,
  options: ResolveReleaseOptions,
): Promise<ResolvedRelease> {
  const selector = options.release;
  if (selector.kind === "event") return fromEvent(selector.event, options.repository);
  const repository = options.repository;
  if (repository === undefined) {
    throw userError(
      "release/no-repository",
      "No repository was given to look the release up in",
      "Pass the repository as owner/repo.",
    );
  }
  switch (selector.kind) {
    case "latest":
      return { repository, release: await latest(client, repository, options) };
    case "tag":
      return { repository, release: await byTag(client, repository, selector.tag, options) };
    case "id":
      return { repository, release: await client.getById(repository, selector.id) };
  }
}
