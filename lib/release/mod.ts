/**
 * GitHub release downloads: resolve a release (latest, tag, id or the `release` event that
 * triggered a workflow), pick one asset by glob, download it through the API with retries,
 * verify size and SHA-256, and cache it.
 *
 * @example
 * ```ts
 * import { parseReleaseRef } from "./mod.ts";
 * const ref = parseReleaseRef("nodemcu/nodemcu-firmware@latest");
 * if (ref.release.kind !== "latest") throw new Error();
 * ```
 *
 * @module
 */

export { AssetCache, cacheKey } from "./asset_cache.ts";
export type { CacheEntry, CacheExpectation, CacheKeyParts } from "./asset_cache.ts";
export { ManualClock, systemClock } from "./clock.ts";
export type { Clock } from "./clock.ts";
export { defaultCacheDir } from "./default_cache_dir.ts";
export type { DefaultCacheDirOptions, OsName } from "./default_cache_dir.ts";
export { sha256File, sha256FromDigest } from "./digest.ts";
export { downloadAsset } from "./download_asset.ts";
export type { DownloadAssetOptions } from "./download_asset.ts";
export { fetchReleaseAsset } from "./fetch_release_asset.ts";
export type { FetchedReleaseAsset, FetchReleaseAssetOptions } from "./fetch_release_asset.ts";
export { DEFAULT_API_URL, GitHubReleaseClient, normalizeApiUrl } from "./github_client.ts";
export type { GitHubClientOptions } from "./github_client.ts";
export { compileGlob } from "./glob.ts";
export type { Glob } from "./glob.ts";
export { matchAssets, pickAsset } from "./pick_asset.ts";
export type { PickAssetOptions } from "./pick_asset.ts";
export { redact } from "./redact.ts";
export type { ErrorContext } from "./release_error.ts";
export { releaseFromEvent } from "./release_event.ts";
export type { EventRelease } from "./release_event.ts";
export { checkTagName, parseReleaseRef, parseRepository } from "./release_ref.ts";
export type { ReleaseRef } from "./release_ref.ts";
export { resolveRelease } from "./resolve_release.ts";
export type { Inclusion, ResolvedRelease, ResolveReleaseOptions } from "./resolve_release.ts";
export { DEFAULT_RETRY_POLICY, withRetry } from "./retry.ts";
export type { RetryOptions, RetryPolicy } from "./retry.ts";
export { safeFileName } from "./safe_file_name.ts";
export { repositoryName } from "./types.ts";
export type {
  AssetInfo,
  AssetState,
  DownloadProgress,
  ReleaseEvent,
  ReleaseEventListener,
  ReleaseInfo,
  ReleaseSelector,
  Repository,
} from "./types.ts";
export { DEFAULT_UPLOAD_WAIT, waitForAsset } from "./wait_for_asset.ts";
export type { ReadyAsset, UploadWaitPolicy, WaitForAssetOptions } from "./wait_for_asset.ts";
export type { VerifiedFile } from "./write_verified_file.ts";
