/**
 * Shared shapes of the release layer: repositories, release selectors, the narrow view of a
 * GitHub release and asset this layer works with, and the events it reports.
 *
 * @module
 */

/** A GitHub repository, `owner/repo`. */
export interface Repository {
  /** User or organisation, e.g. `nodemcu`. */
  owner: string;
  /** Repository name, e.g. `nodemcu-firmware`. */
  repo: string;
}

/**
 * Which release to use.
 *
 * - `latest`: the newest published release (GitHub's "latest"; see `drafts`/`prereleases`),
 * - `tag`: the release of a git tag,
 * - `id`: a release by its numeric id,
 * - `event`: the `release` event payload that triggered a workflow (the parsed JSON of
 *   `GITHUB_EVENT_PATH`, passed in by the caller).
 */
export type ReleaseSelector =
  | { kind: "latest" }
  | { kind: "tag"; tag: string }
  | { kind: "id"; id: number }
  | { kind: "event"; event: unknown };

/** Upload state of an asset: `"open"` while GitHub is still receiving it. */
export type AssetState = "uploaded" | "open";

/** The fields of a GitHub release asset this layer uses. */
export interface AssetInfo {
  /** Asset id (stable for the uploaded file; a re-upload gets a new id). */
  id: number;
  /** File name as uploaded; never trusted as a path. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** Upload state. */
  state: AssetState;
  /** `"sha256:<hex>"`, or `null` for assets uploaded before GitHub computed digests. */
  digest: string | null;
  /** MIME type the uploader declared. */
  contentType: string;
}

/** The fields of a GitHub release this layer uses. */
export interface ReleaseInfo {
  /** Release id. */
  id: number;
  /** Git tag name. */
  tag: string;
  /** Title, if any. */
  name: string | null;
  /** Unpublished draft. */
  draft: boolean;
  /** Marked as a pre-release. */
  prerelease: boolean;
  /** ISO time GitHub uses to order releases. */
  createdAt: string;
  /** ISO publish time, `null` for drafts. */
  publishedAt: string | null;
  /** The release's assets. */
  assets: AssetInfo[];
}

/** Progress of one download, reported through `onProgress`. */
export interface DownloadProgress {
  /** Asset name. */
  name: string;
  /** Bytes received so far in this attempt. */
  received: number;
  /** Expected size in bytes. */
  total: number;
}

/** Things worth telling a user while a release asset is being fetched. */
export type ReleaseEvent =
  | { type: "resolved"; repository: string; tag: string; releaseId: number }
  | { type: "retry"; attempt: number; attempts: number; delayMs: number; reason: string }
  | {
    type: "waiting-for-asset";
    attempt: number;
    attempts: number;
    delayMs: number;
    asset: string;
    state: "open" | "missing";
  }
  | { type: "cache-hit"; path: string }
  | { type: "cache-stored"; path: string };

/** Receives {@link ReleaseEvent}s. */
export type ReleaseEventListener = (event: ReleaseEvent) => void;

/**
 * Formats a repository as `owner/repo`.
 *
 * @example
 * ```ts
 * import { repositoryName } from "./types.ts";
 * if (repositoryName({ owner: "nodemcu", repo: "fw" }) !== "nodemcu/fw") throw new Error();
 * ```
 */
export function repositoryName(repository: Repository): string {
  return `${repository.owner}/${repository.repo}`;
}
