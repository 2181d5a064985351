/**
 * The release layer's entry point: resolve a release, pick one asset by glob, wait for it to
 * finish uploading, and download it (or take it from the cache), verified by size and SHA-256.
 *
 * @module
 */

import { userError } from "../errors.ts";
import { AssetCache, cacheKey, type CacheKeyParts } from "./asset_cache.ts";
import type { Clock } from "./clock.ts";
import { sha256FromDigest } from "./digest.ts";
import { downloadAsset } from "./download_asset.ts";
import { GitHubReleaseClient } from "./github_client.ts";
import { checkCacheDir } from "./check_cache_dir.ts";
import { compileGlob } from "./glob.ts";
import { parseRepository } from "./release_ref.ts";
import { type Inclusion, resolveRelease } from "./resolve_release.ts";
import type { RetryPolicy } from "./retry.ts";
import { safeFileName } from "./safe_file_name.ts";
import type {
  AssetInfo,
  DownloadProgress,
  ReleaseEventListener,
  ReleaseInfo,
  ReleaseSelector,
  Repository,
} from "./types.ts";
import { repositoryName } from "./types.ts";
import type { UploadWaitPolicy } from "./wait_for_asset.ts";
import { waitForAsset } from "./wait_for_asset.ts";
import { type VerifiedFile, writeVerifiedFile } from "./write_verified_file.ts";

/** Options for {@link fetchReleaseAsset}. */
export interface FetchReleaseAssetOptions {
  /** `owner/repo` or a {@link Repository}; optional with an `event` release. */
  repository?: string | Repository | undefined;
  /** Which release; `latest` by default. */
  release?: ReleaseSelector | undefined;
  /** Glob for the asset name, e.g. `*-float.bin`; it must match exactly one asset. */
  asset: string;
  /** GitHub token (private repositories, higher rate limits). Never appears in errors. */
  token?: string | undefined;
  /** API base URL (`GITHUB_API_URL` on Actions); `https://api.github.com` by default. */
  baseUrl?: string | undefined;
  /** Where the file goes. Without it the file stays in the cache and `path` points there. */
  destDir?: string | undefined;
  /** Local file name; the asset's own name (if safe) by default. */
  fileName?: string | undefined;
  /** Cache directory (see `defaultCacheDir`); no caching without it. */
  cacheDir?: string | undefined;
  /** Let `latest` pick drafts (needs a token with push access). */
  drafts?: Inclusion | undefined;
  /** Let `latest` pick pre-releases. */
  prereleases?: Inclusion | undefined;
  /** Download progress (bytes received / total). */
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
  /** Retries, waits, cache hits. */
  onEvent?: ReleaseEventListener | undefined;
  /** Retry policy overrides. */
  retry?: Partial<RetryPolicy> | undefined;
  /** How long to wait for uploads still in progress. */
  uploadWait?: Partial<UploadWaitPolicy> | undefined;
  /** Clock for all waits (tests pass a `ManualClock`). */
  clock?: Clock | undefined;
  /** `fetch` to use; the global one by default. */
  fetch?: typeof fetch | undefined;
  /** Cancels the whole operation. */
  signal?: AbortSignal | undefined;
}

/** A fetched, verified asset. */
export interface FetchedReleaseAsset {
  /** Path of the verified file. */
  path: string;
  /** Its local file name. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** SHA-256, lower-case hex. */
  sha256: string;
  /** `owner/repo`. */
  repository: string;
  /** The release it came from. */
  release: { id: number; tag: string; draft: boolean; prerelease: boolean };
  /** The asset as GitHub describes it. */
  asset: { id: number; name: string; digest: string | null };
  /** Whether the bytes came from the cache. */
  fromCache: boolean;
}

function toRepository(value: string | Repository | undefined): Repository | undefined {
  return typeof value === "string" ? parseRepository(value) : value;
}

interface Plan {
  client: GitHubReleaseClient;
  repository: Repository;
  release: ReleaseInfo;
  asset: AssetInfo;
  fileName: string;
  options: FetchReleaseAssetOptions;
}

function result(plan: Plan, file: VerifiedFile, fromCache: boolean): FetchedReleaseAsset {
  const { release, asset } = plan;
  return {
    path: file.path,
    name: plan.fileName,
    size: file.size,
    sha256: file.sha256,
    repository: repositoryName(plan.repository),
    release: {
      id: release.id,
      tag: release.tag,
      draft: release.draft,
      prerelease: release.prerelease,
    },
    asset: { id: asset.id, name: asset.name, digest: asset.digest },
    fromCache,
  };
}

/** Copies a verified cache file to the destination, verifying the copy. */
async function copyTo(file: VerifiedFile, dir: string, plan: Plan): Promise<VerifiedFile> {
  const source = await Deno.open(file.path, { read: true });
  return writeVerifiedFile(source.readable, {
    dir,
    fileName: plan.fileName,
    size: file.size,
    sha256: file.sha256,
    label: `cached asset '${plan.asset.name}'`,
  });
}

async function viaCache(plan: Plan, cacheDir: string): Promise<FetchedReleaseAsset> {
  const { client, repository, asset, options } = plan;
  const cache = new AssetCache(cacheDir);
  const parts: CacheKeyParts = {
    apiUrl: client.apiUrl,
    repository,
    assetId: asset.id,
    digest: asset.digest,
  };
  const key = cacheKey(parts);
  const expected = {
    fileName: plan.fileName,
    size: asset.size,
    sha256: sha256FromDigest(asset.digest),
  };
  const hit = await cache.lookup(key, expected);
  if (hit !== undefined) {
    options.onEvent?.({ type: "cache-hit", path: hit.path });
    const file = options.destDir === undefined ? hit : await copyTo(hit, options.destDir, plan);
    return result(plan, file, true);
  }
  await cache.invalidate(key);
  const stored = await downloadAsset(client, {
    repository,
    release: plan.release,
    asset,
    dir: cache.entryDir(key),
    fileName: plan.fileName,
    onProgress: options.onProgress,
  });
  await cache.commit(key, parts, stored);
  options.onEvent?.({ type: "cache-stored", path: stored.path });
  const file = options.destDir === undefined ? stored : await copyTo(stored, options.destDir, plan);
  return result(plan, file, false);
}

/**
 * Fetches one asset of a GitHub release, verified, into `destDir` (and/or the cache).
 *
 * Errors are {@link NodeflashError}s with codes under `release/`: user errors for bad input,
 * unknown releases, no or several matching assets, unsafe names, rejected tokens; device
 * errors for digest mismatches, truncated downloads, exhausted rate limits and unreachable
 * hosts. A failed download leaves no file behind; the token never appears in an error.
 *
 * @param options repository, release, asset glob, token, directories, callbacks
 * @returns the verified file and what it is
 *
 * @example Fetching from a stand-in for the GitHub API
 * ```ts
 * import { fetchReleaseAsset } from "./fetch_release_asset.ts";
 * const bytes = new TextEncoder().encode("nodemcu");
 * const release = { id: 1, tag_name: "v1", name: null, draft: false, prerelease: false,
 *   created_at: "2024-01-01T00:00:00Z", published_at: "2024-01-01T00:00:00Z",
 *   assets: [{ id: 2, name: "nodemcu-float.bin", size: bytes.length, state: "uploaded",
 *     digest: null, content_type: "application/octet-stream" }] };
 * const github = (input: RequestInfo | URL, init?: RequestInit) =>
 *   Promise.resolve(new Headers(init?.headers).get("accept") === "application/octet-stream"
 *     ? new Response(bytes)
 *     : Response.json(release));
 * const destDir = await Deno.makeTempDir();
 * const got = await fetchReleaseAsset({
 *   repository: "nodemcu/nodemcu-firmware", asset: "*-float.bin", destDir,
 *   fetch: github as typeof fetch,
 * });
 * await Deno.remove(destDir, { recursive: true });
 * if (got.name !== "nodemcu-float.bin" || got.size !== 7 || got.fromCache) throw new Error();
 * ```
 */
export async function fetchReleaseAsset(
  options: FetchReleaseAssetOptions,
): Promise<FetchedReleaseAsset> {
  const glob = compileGlob(options.asset);
  if (options.fileName !== undefined) safeFileName(options.fileName);
  if (options.destDir === undefined && options.cacheDir === undefined) {
    throw userError(
      "release/no-destination",
      `Nowhere to put the asset '${options.asset}': neither a destination nor a cache directory`,
      "Pass destDir, cacheDir, or both.",
    );
  }
  // Before GitHub is asked anything: an unwritable cache is the user's to fix.
  if (options.cacheDir !== undefined) await checkCacheDir(options.cacheDir);
  const selector = options.release ?? { kind: "latest" };
  const client = new GitHubReleaseClient(options);
  const resolved = await resolveRelease(client, {
    repository: toRepository(options.repository),
    release: selector,
    drafts: options.drafts,
    prereleases: options.prereleases,
  });
  const { repository } = resolved;
  options.onEvent?.({
    type: "resolved",
    repository: repositoryName(repository),
    tag: resolved.release.tag,
    releaseId: resolved.release.id,
  });
  const ready = await waitForAsset(client, {
    repository,
    release: resolved.release,
    pattern: glob,
    missing: selector.kind === "event" ? "wait" : "fail",
    policy: options.uploadWait,
    onEvent: options.onEvent,
    signal: options.signal,
  });
  const fileName = options.fileName ?? safeFileName(ready.asset.name);
  const plan: Plan = { client, repository, ...ready, fileName, options };
  if (options.cacheDir !== undefined) return viaCache(plan, options.cacheDir);
  const file = await downloadAsset(client, {
    repository,
    release: ready.release,
    asset: ready.asset,
    dir: options.destDir!,
    fileName,
    onProgress: options.onProgress,
  });
  return result(plan, file, false);
}
