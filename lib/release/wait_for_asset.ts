/**
 * Waits for an asset that is still uploading (`state: "open"`) or, right after a `release`
 * event, not listed yet: the release is fetched again by id a bounded number of times.
 *
 * @module
 */

import { deviceError } from "../errors.ts";
import type { GitHubReleaseClient } from "./github_client.ts";
import type { Glob } from "./glob.ts";
import { compileGlob } from "./glob.ts";
import { matchAssets, pickAsset } from "./pick_asset.ts";
import type { AssetInfo, ReleaseEventListener, ReleaseInfo, Repository } from "./types.ts";
import { repositoryName } from "./types.ts";

/** How long to wait for uploads. */
export interface UploadWaitPolicy {
  /** Checks in total, the first included. */
  attempts: number;
  /** Wait between checks. */
  delayMs: number;
}

/** Ten checks, five seconds apart. */
export const DEFAULT_UPLOAD_WAIT: Readonly<UploadWaitPolicy> = Object.freeze({
  attempts: 10,
  delayMs: 5_000,
});

/** Options for {@link waitForAsset}. */
export interface WaitForAssetOptions {
  /** The repository. */
  repository: Repository;
  /** The release as first seen. */
  release: ReleaseInfo;
  /** Glob for the asset. */
  pattern: string | Glob;
  /** `"wait"`: a missing asset may still appear (right after a release event). */
  missing?: "wait" | "fail" | undefined;
  /** Overrides for {@link DEFAULT_UPLOAD_WAIT}. */
  policy?: Partial<UploadWaitPolicy> | undefined;
  /** Gets `waiting-for-asset` events. */
  onEvent?: ReleaseEventListener | undefined;
  /** Stops waiting. */
  signal?: AbortSignal | undefined;
}

/** The release as last fetched and the chosen, fully uploaded asset. */
export interface ReadyAsset {
  /** The release (re-fetched if we waited). */
  release: ReleaseInfo;
  /** The asset. */
  asset: AssetInfo;
}

/**
 * Returns the matching asset once it is uploaded, re-fetching the release by id while it is
 * open (or missing, with `missing: "wait"`). Gives up with `release/asset-not-ready` (still
 * uploading) or the usual no-match/ambiguous user errors.
 *
 * @param client the GitHub client (its clock does the waiting)
 * @param options repository, release, pattern and policy
 * @returns the release and asset
 *
 * @example
 * ```ts
 * import { GitHubReleaseClient } from "./github_client.ts";
 * import { waitForAsset } from "./wait_for_asset.ts";
 * const client = new GitHubReleaseClient({ fetch: () => { throw new Error("no request") } });
 * const release = { id: 1, tag: "v1", name: null, draft: false, prerelease: false,
 *   createdAt: "", publishedAt: null, assets: [{ id: 3, name: "fw.bin", size: 1,
 *   state: "uploaded" as const, digest: null, contentType: "application/octet-stream" }] };
 * const ready = await waitForAsset(client, {
 *   repository: { owner: "o", repo: "r" }, release, pattern: "*.bin" });
 * if (ready.asset.id !== 3) throw new Error();
 * ```
 */
export async function waitForAsset(
  client: GitHubReleaseClient,
  options: WaitForAssetOptions,
): Promise<ReadyAsset> {
  const policy = { ...DEFAULT_UPLOAD_WAIT, ...options.policy };
  const attempts = Math.max(1, Math.floor(policy.attempts));
  const glob = typeof options.pattern === "string" ? compileGlob(options.pattern) : options.pattern;
  const name = repositoryName(options.repository);
  let release = options.release;
  for (let attempt = 1;; attempt++) {
    const matches = matchAssets(release.assets, glob);
    const only = matches.length === 1 ? matches[0] : undefined;
    const waitable = (only !== undefined && only.state !== "uploaded") ||
      (matches.length === 0 && options.missing === "wait");
    if (!waitable) return { release, asset: pickAsset(release, glob, { repository: name }) };
    if (attempt >= attempts) {
      if (only === undefined) {
        return { release, asset: pickAsset(release, glob, { repository: name }) };
      }
      throw deviceError(
        "release/asset-not-ready",
        `Asset '${only.name}' of release '${release.tag}' of ${name} is still uploading ` +
          `after ${attempts} checks`,
        "Run again once the release's uploads have finished.",
      );
    }
    options.onEvent?.({
      type: "waiting-for-asset",
      attempt,
      attempts,
      delayMs: policy.delayMs,
      asset: only?.name ?? glob.pattern,
      state: only === undefined ? "missing" : "open",
    });
    await client.clock.sleep(policy.delayMs, options.signal);
    release = await client.getById(options.repository, release.id);
  }
}
